package io.virtwise.probe.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A measurement that was not made, and why: no number is ever put in its place.
 *
 * @param what the metric or step, e.g. {@code tcp-rr-latency} or {@code cross-core placement}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Skipped(String probe, String path, String placement, String what, String reason) {
}
