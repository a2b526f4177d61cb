package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Transparent huge pages: the selected mode of {@code enabled} and {@code defrag}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThpFacts(String enabled, String defrag) {
}
