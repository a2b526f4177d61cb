package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One guest NUMA cell ({@code <cpu><numa><cell>}): its vCPUs as written and its memory. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestCell(int id, String cpus, Long memoryKb) {
}
