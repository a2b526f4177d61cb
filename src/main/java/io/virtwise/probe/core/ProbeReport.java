package io.virtwise.probe.core;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.virtwise.facts.ProbeResult;

/**
 * One {@code probe docker} run: the measurements, what was skipped and why, how the figures
 * were computed, and how long it took against its deadline.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeReport(String runId, String subject, double seconds, double deadlineSeconds,
		List<ProbeResult> results, List<Skipped> skipped, List<String> notes, List<String> sweptLeftovers) {

	public ProbeReport {
		results = List.copyOf(results);
		skipped = List.copyOf(skipped);
		notes = List.copyOf(notes);
		sweptLeftovers = List.copyOf(sweptLeftovers);
	}
}
