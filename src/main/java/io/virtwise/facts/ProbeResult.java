package io.virtwise.facts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One measured figure: the median of several repetitions with its spread, the native
 * baseline it is compared against, and the exact command lines that produced it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeResult(
		String probe,
		String path,
		String subject,
		String metric,
		String unit,
		double median,
		Double min,
		Double max,
		Double p99,
		int repetitions,
		Double baselineMedian,
		Boolean emulated,
		List<String> commands) {

	public ProbeResult {
		commands = commands == null ? List.of() : List.copyOf(commands);
	}

	/** Ratio to the native baseline, the way RC25482 reports results; {@code null} without a baseline. */
	public Double ratioToBaseline() {
		return baselineMedian == null || baselineMedian == 0 ? null : median / baselineMedian;
	}
}
