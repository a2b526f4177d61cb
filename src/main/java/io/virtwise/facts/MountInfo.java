package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One mount of a container: {@code type} is bind, volume or tmpfs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MountInfo(String type, String name, String source, String destination, Boolean readOnly) {
}
