package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record NicInfo(String name, String driver, Integer speedMbps, Integer mtu, String operState) {
}
