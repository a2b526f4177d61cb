package io.virtwise.advice;

import io.virtwise.facts.Probes;
import io.virtwise.facts.ProbePaths;
import io.virtwise.facts.Metrics;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import io.virtwise.facts.ProbeResult;

/**
 * What {@code probe kvm} and {@code kvm stats} measured for a guest's disk path, as evidence for the
 * KVM I/O rules: per fio job the probe guest's IOPS over the host's on the same storage and the
 * QEMU process's CPU time per guest I/O, then the guest's live I/O rate and CPU per I/O from libvirt.
 * One line per fio job rather than {@link Recommendation.Builder#measured(ProbeResult)}'s four,
 * because {@link Figures#key} carries no queue depth and the four jobs would share keys.
 * Shown only: the rules never change severity on these figures, which on a PVM or TCG host describe
 * emulation, not KVM.
 */
public final class KvmIoFigures {

	static final String IO = Probes.KVM_IO;
	static final String PASSIVE = Probes.KVM_PASSIVE;
	// the order probe kvm runs them in
	static final List<String> JOBS = List.of("randread-qd1", "randwrite-qd1", "randread-qd32", "randwrite-qd32");

	private KvmIoFigures() {
	}

	/**
	 * The guest's own {@code probe kvm --guest} figures, else the lab's with a note saying so; then
	 * its own {@code kvm stats} figures (passive figures are only ever the guest's own).
	 */
	public static void attachDisk(Recommendation.Builder b, Collection<?> probes, String guest) {
		List<ProbeResult> all = results(probes);
		attachProbe(b, all, guest);
		attachPassive(b, all, guest, Metrics.IO_OPS_PER_S, Metrics.CPU_US_PER_IO);
	}

	private static void attachProbe(Recommendation.Builder b, List<ProbeResult> all, String guest) {
		String subject = all.stream().anyMatch(p -> ownIo(p, guest)) ? guest : "lab";
		List<ProbeResult> io = all.stream().filter(p -> ownIo(p, subject)).toList();
		if (io.isEmpty()) {
			return;
		}
		if (!subject.equals(guest)) {
			b.evidence("probes[kvm-io/guest/" + guest + "]", "not measured for " + guest
					+ "; figures below are the lab's probe guest (probe kvm without --guest), not configured like " + guest);
		}
		// probe kvm's guest always has a raw image on virtio: its figures are not those of a qcow2 or IDE disk
		b.evidence("probes[kvm-io/guest/" + subject + "].disk", subject.equals(guest)
				? "raw image on virtio, cache and io copied from " + guest : "raw image on virtio, cache=none io=native");
		for (String job : JOBS) {
			String rw = job.substring(0, job.indexOf("-qd"));
			String qd = job.substring(job.indexOf("-qd") + 1);
			ProbeResult iops = one(io, rw + "-iops", qd);
			ProbeResult cpu = one(io, Metrics.CPU_US_PER_IO, qd + "-" + rw);
			if (iops != null && iops.ratioToBaseline() != null) {
				b.evidence("probes[kvm-io/guest/" + subject + "]." + rw + "-iops[" + qd + "].ratioToHost",
						Figures.number(iops.ratioToBaseline()) + " (" + Figures.number(iops.median()) + " vs "
								+ Figures.number(iops.baselineMedian(), iops.unit()) + " on the host)");
			}
			if (cpu != null) {
				b.evidence("probes[kvm-io/guest/" + subject + "].cpu-us-per-io[" + qd + "-" + rw + "]",
						Figures.number(cpu.median(), cpu.unit()) + " of QEMU CPU per guest I/O"
								+ (cpu.baselineMedian() == null ? "" : " (fio on the host " + Figures.number(cpu.baselineMedian(), cpu.unit()) + ")"));
			}
		}
		if (io.stream().anyMatch(p -> Boolean.TRUE.equals(p.emulated()))) {
			b.evidence("probes[kvm-io/guest/" + subject + "].emulated", "true (QEMU TCG, not KVM)");
		}
	}

	/** The guest's own {@code kvm stats} figures for these metrics, each as {@code measured}. */
	public static void attachPassive(Recommendation.Builder b, Collection<?> probes, String guest, String... metrics) {
		List<ProbeResult> all = results(probes);
		for (String metric : metrics) {
			all.stream()
				.filter(p -> PASSIVE.equals(p.probe()) && guest.equals(p.subject()) && metric.equals(p.metric()))
				.findFirst()
				.ifPresent(b::measured);
		}
	}

	private static boolean ownIo(ProbeResult p, String subject) {
		return IO.equals(p.probe()) && ProbePaths.GUEST.equals(p.path()) && Objects.equals(subject, p.subject());
	}

	private static ProbeResult one(List<ProbeResult> io, String metric, String placement) {
		return io.stream().filter(p -> metric.equals(p.metric()) && placement.equals(p.placement())).findFirst().orElse(null);
	}

	private static List<ProbeResult> results(Collection<?> probes) {
		return probes == null ? List.of()
				: probes.stream().filter(ProbeResult.class::isInstance).map(ProbeResult.class::cast).toList();
	}
}
