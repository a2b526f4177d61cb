package io.virtwise.advice;

import io.virtwise.facts.Metrics;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.virtwise.facts.ProbeResult;

/**
 * One metric measured on two paths in the same run, e.g. small-file operations in the writable
 * layer against a volume: {@code ratio} is slow over fast, so 0.7 means the slow path managed 70%.
 * Only metrics where more is better are compared.
 */
public record ProbeGap(ProbeResult slow, ProbeResult fast) {

	static final Set<String> MORE_IS_BETTER = Set.of(Metrics.RANDREAD_IOPS, Metrics.RANDWRITE_IOPS, Metrics.SEQREAD_MBPS,
			Metrics.SEQWRITE_MBPS, Metrics.SMALL_FILE_OPS, Metrics.TCP_THROUGHPUT, Metrics.CPU_EVENTS_PER_S, Metrics.MEM_SEQ_WRITE_MIBPS,
			Metrics.MEM_RND_READ_MIBPS);

	public ProbeGap {
		Objects.requireNonNull(slow, "slow");
		Objects.requireNonNull(fast, "fast");
	}

	public double ratio() {
		return slow.median() / fast.median();
	}

	/**
	 * The largest gap between two paths measured for the subject, or, when nothing was measured
	 * for it, for the lab; {@code null} when no metric was measured on both paths.
	 */
	public static ProbeGap widest(Collection<?> probes, String subject, String slowPath, String fastPath) {
		if (probes == null) {
			return null;
		}
		List<ProbeResult> all = probes.stream().filter(ProbeResult.class::isInstance).map(ProbeResult.class::cast).toList();
		ProbeGap own = widestFor(all, subject, slowPath, fastPath);
		return own != null || "lab".equals(subject) ? own : widestFor(all, "lab", slowPath, fastPath);
	}

	/**
	 * One metric of one probe on two paths, e.g. kvm-cpu random memory reads in the plain probe guest
	 * against the hugepage-backed one: the subject's own run, else the lab's; {@code null} when that
	 * metric was not measured on both. The ratio may be above 1: a tuning that measured no gain.
	 */
	public static ProbeGap of(Collection<?> probes, String probe, String metric, String subject, String slowPath, String fastPath) {
		if (probes == null) {
			return null;
		}
		List<ProbeResult> one = probes.stream().filter(ProbeResult.class::isInstance).map(ProbeResult.class::cast)
			.filter(p -> probe.equals(p.probe()) && metric.equals(p.metric())).toList();
		return widest(one, subject, slowPath, fastPath);
	}

	private static ProbeGap widestFor(List<ProbeResult> all, String subject, String slowPath, String fastPath) {
		return all.stream()
			.filter(s -> Objects.equals(s.subject(), subject) && Objects.equals(s.path(), slowPath)
					&& MORE_IS_BETTER.contains(s.metric()))
			.flatMap(s -> all.stream()
				.filter(f -> Objects.equals(f.subject(), subject) && Objects.equals(f.path(), fastPath)
						&& Objects.equals(f.probe(), s.probe()) && Objects.equals(f.metric(), s.metric())
						&& Objects.equals(f.placement(), s.placement()) && f.median() > 0)
				.map(f -> new ProbeGap(s, f)))
			.min(Comparator.comparingDouble(ProbeGap::ratio).thenComparing(g -> g.slow().metric()))
			.orElse(null);
	}
}
