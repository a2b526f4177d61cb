package io.virtwise.facts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One measured figure: the median of several repetitions with its spread, the native
 * baseline it is compared against, and the exact command lines that produced it.
 *
 * <p>Built with {@link #builder}. Naming, shared by probes and rules through {@link Probes},
 * {@link ProbePaths} and {@link Metrics}: {@code probe} is {@code docker-network},
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

	/**
	 * A figure with the fields every probe result has; the rest are named on the builder and
	 * default to unknown, with one repetition.
	 */
	public static Builder builder(String probe, String path, String subject, String metric, String unit, double median) {
		return new Builder(probe, path, subject, metric, unit, median);
	}

	/** Names the optional fields, so a probe never passes fourteen values by position. */
	public static final class Builder {

		private final String probe;
		private final String path;
		private final String subject;
		private final String metric;
		private final String unit;
		private final double median;
		private Double min;
		private Double max;
		private Double p99;
		private int repetitions = 1;
		private Double baselineMedian;
		private Boolean emulated;
		private List<String> commands = List.of();
		private String placement;

		private Builder(String probe, String path, String subject, String metric, String unit, double median) {
			this.probe = probe;
			this.path = path;
			this.subject = subject;
			this.metric = metric;
			this.unit = unit;
			this.median = median;
		}

		/** The lowest and highest repetition. */
		public Builder spread(Double min, Double max) {
			this.min = min;
			this.max = max;
			return this;
		}

		public Builder p99(Double p99) {
			this.p99 = p99;
			return this;
		}

		public Builder repetitions(int repetitions) {
			this.repetitions = repetitions;
			return this;
		}

		/** The native baseline's median, the figure {@link ProbeResult#ratioToBaseline()} compares with. */
		public Builder baseline(Double baselineMedian) {
			this.baselineMedian = baselineMedian;
			return this;
		}

		/** Whether the guest ran under QEMU's TCG emulator instead of KVM; null where no guest ran. */
		public Builder emulated(Boolean emulated) {
			this.emulated = emulated;
			return this;
		}

		/** The exact command lines that produced the figure. */
		public Builder commands(List<String> commands) {
			this.commands = commands;
			return this;
		}

		public Builder placement(String placement) {
			this.placement = placement;
			return this;
		}

		public ProbeResult build() {
			return new ProbeResult(probe, path, subject, metric, unit, median, min, max, p99, repetitions, baselineMedian, emulated,
					commands, placement);
		}
	}

	/** Ratio to the native baseline, as one compares RC25482's figures with native; {@code null} without a baseline. */
	public Double ratioToBaseline() {
		return baselineMedian == null || baselineMedian == 0 ? null : median / baselineMedian;
	}
}
