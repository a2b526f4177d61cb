package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemoryFacts(Long totalKb, Long availableKb, Long swapTotalKb) {
}
