package io.virtwise.facts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One measured figure: the median of several repetitions with its spread, the native
 * baseline it is compared against, and the exact command lines that produced it.
 *
 * <p>Naming, shared by probes and rules: {@code probe} is {@code docker-network},
 * {@code docker-storage}, {@code kvm-io}, {@code kvm-cpu}...; {@code path} names the route measured
 * ({@code loopback}, {@code host-net}, {@code bridge-ip}, {@code published-proxy},
 * {@code published-dnat}; {@code host-dir}, {@code writable-layer}, {@code bind-mount},
 * {@code volume}); {@code subject} is the container or guest measured for, or {@code lab};
 * {@code placement} is {@code same-core} or {@code cross-core} for pinned network pairs, never mixed.
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
		List<String> commands,
		String placement) {

	public ProbeResult {
		commands = commands == null ? List.of() : List.copyOf(commands);
	}

	/** Ratio to the native baseline, as one compares RC25482's figures with native; {@code null} without a baseline. */
	public Double ratioToBaseline() {
		return baselineMedian == null || baselineMedian == 0 ? null : median / baselineMedian;
	}
}
