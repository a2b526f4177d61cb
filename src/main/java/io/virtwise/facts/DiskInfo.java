package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiskInfo(String name, Boolean rotational, String scheduler, Long sizeBytes) {
}
