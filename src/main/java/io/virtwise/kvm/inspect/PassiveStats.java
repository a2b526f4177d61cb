package io.virtwise.kvm.inspect;

import io.virtwise.facts.Probes;
import io.virtwise.facts.ProbePaths;
import io.virtwise.facts.Metrics;
import io.virtwise.kvm.xml.DomainXmlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.ProbeResult;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;

/**
 * Passive figures of a running guest from libvirt's domain stats (virDomainListGetStats), read
 * twice a window apart: block requests, the guest's host CPU time, its vCPU threads' time, time
 * spent halt polling and KVM exits. Nothing is sent to the guest. Halt polling and exits exist
 * only under KVM: under TCG libvirt still reports halt-poll times of 0, which are not taken.
 * Whatever libvirt does not report stays null (unknown), never 0.
 */
public final class PassiveStats {

	public static final String PROBE = Probes.KVM_PASSIVE;
	static final int STATS = DomainStatsBinding.STATS_STATE | DomainStatsBinding.STATS_CPU_TOTAL
			| DomainStatsBinding.STATS_VCPU | DomainStatsBinding.STATS_BLOCK;

	/**
	 * One reading; null where libvirt gave nothing. Times in ns, counters summed over vCPUs or disks.
	 */
	public record Sample(long nanoTime, Long cpuTimeNs, Integer vcpus, Long vcpuTimeNs, List<String> disks,
			Long blockRequests, Long haltPollSuccessNs, Long haltPollFailNs, Long exits) {

		public Sample {
			disks = disks == null ? List.of() : List.copyOf(disks);
		}

		/**
		 * Maps libvirt's typed parameters: "cpu.time", "vcpu.current"/"vcpu.maximum", "vcpu.N.time",
		 * "block.count", "block.N.name", "block.N.rd.reqs"/"wr.reqs"; on KVM also
		 * "cpu.haltpoll.success.time"/"fail.time" (else the per-vCPU "vcpu.N.halt_poll_success_ns.sum"
		 * /"halt_poll_fail_ns.sum" of QEMU's query-stats) and "vcpu.N.exits.sum".
		 */
		public static Sample of(long nanoTime, Map<String, Object> p, boolean kvm) {
			Long current = number(p, "vcpu.current");
			Long maximum = number(p, "vcpu.maximum");
			int vcpuSlots = (int) Math.max(current == null ? 0 : current, maximum == null ? 0 : maximum);
			List<String> disks = new ArrayList<>();
			Long requests = null;
			Long blockCount = number(p, "block.count");
			for (int i = 0; blockCount != null && i < blockCount; i++) {
				Object name = p.get("block." + i + ".name");
				if (name != null) {
					disks.add(name.toString());
				}
				requests = plus(requests, plus(number(p, "block." + i + ".rd.reqs"), number(p, "block." + i + ".wr.reqs")));
			}
			Long success = null;
			Long fail = null;
			Long exits = null;
			if (kvm) {
				success = number(p, "cpu.haltpoll.success.time");
				fail = number(p, "cpu.haltpoll.fail.time");
				if (success == null && fail == null) {
					success = perVcpu(p, vcpuSlots, "halt_poll_success_ns.sum");
					fail = perVcpu(p, vcpuSlots, "halt_poll_fail_ns.sum");
				}
				exits = perVcpu(p, vcpuSlots, "exits.sum");
			}
			return new Sample(nanoTime, number(p, "cpu.time"), current == null ? null : current.intValue(),
					perVcpu(p, vcpuSlots, "time"), disks, requests, success, fail, exits);
		}

		private static Long perVcpu(Map<String, Object> p, int slots, String suffix) {
			Long sum = null;
			for (int i = 0; i < slots; i++) {
				sum = plus(sum, number(p, "vcpu." + i + "." + suffix));
			}
			return sum;
		}
	}

	/** The window's figures; null where unknown. */
	public record Window(String guest, double seconds, List<String> disks, Long ioOps, Double ioOpsPerSecond,
			Double cpuSecondsUsed, Double cpuUsPerIo, Boolean emulated, Integer vcpus, Double vcpuSeconds,
			Double vcpuMsPerSecond, Double haltPollSeconds, Double haltPollMsPerSecond, Double haltPollPercentOfVcpu,
			Long exits, Double exitsPerSecond, boolean countersWentBack) {

		public List<ProbeResult> results() {
			List<String> commands = List.of("virsh domstats --state --cpu-total --vcpu --block " + guest
					+ "   # virDomainListGetStats, read twice " + String.format(Locale.ROOT, "%.1f", seconds) + " s apart");
			List<ProbeResult> out = new ArrayList<>();
			add(out, Metrics.IO_OPS_PER_S, "ops/s", ioOpsPerSecond, commands);
			add(out, Metrics.CPU_US_PER_IO, "us", cpuUsPerIo, commands);
			add(out, Metrics.VCPU_MS_PER_S, "ms/s", vcpuMsPerSecond, commands);
			add(out, Metrics.HALTPOLL_MS_PER_S, "ms/s", haltPollMsPerSecond, commands);
			add(out, Metrics.HALTPOLL_PCT_OF_VCPU, "%", haltPollPercentOfVcpu, commands);
			add(out, Metrics.EXITS_PER_S, "exits/s", exitsPerSecond, commands);
			return out;
		}

		private void add(List<ProbeResult> out, String metric, String unit, Double value, List<String> commands) {
			if (value != null) {
				out.add(ProbeResult.builder(PROBE, ProbePaths.LIBVIRT_COUNTERS, guest, metric, unit, value).emulated(emulated)
					.commands(commands).build());
			}
		}
	}

	private PassiveStats() {
	}

	/** The domain is not running: its counters do not move. */
	public static final class NotRunningException extends RuntimeException {

		public NotRunningException(String message) {
			super(message);
		}
	}

	/** Reads the stats, waits, reads them again. */
	public static Window sample(Connect conn, String name, double seconds) throws LibvirtException, InterruptedException {
		Domain domain = conn.domainLookupByName(name);
		DomainInfo info = domain.getInfo();
		if (info.state != DomainInfo.DomainState.VIR_DOMAIN_RUNNING) {
			throw new NotRunningException(name + " is " + info.state.name().replace("VIR_DOMAIN_", "").toLowerCase(Locale.ROOT)
					+ ": passive stats need a running guest (virsh start " + name + ")");
		}
		GuestFacts guest = DomainXmlParser.parse(domain.getXMLDesc(0));
		// kvm or qemu (TCG); any other type (test:///, xen...) leaves it unknown
		Boolean emulated = "qemu".equals(guest.accel()) ? Boolean.TRUE : "kvm".equals(guest.accel()) ? Boolean.FALSE : null;
		// halt polling and exits are KVM's: only taken when the domain is known to run on it
		boolean kvm = Boolean.FALSE.equals(emulated);
		Sample first = reading(domain, kvm);
		Thread.sleep(Math.round(seconds * 1000));
		Sample second = reading(domain, kvm);
		return derive(name, first, second, emulated);
	}

	// Stamped halfway through the call: on a loaded host one read can take a fair part of a 1 s window.
	private static Sample reading(Domain domain, boolean kvm) {
		long before = System.nanoTime();
		Map<String, Object> params = DomainStatsBinding.read(domain, STATS);
		return Sample.of(before + (System.nanoTime() - before) / 2, params, kvm);
	}

	/** The figures between two readings. */
	public static Window derive(String guest, Sample first, Sample second, Boolean emulated) {
		double seconds = (second.nanoTime() - first.nanoTime()) / 1e9;
		Long cpuNs = delta(first.cpuTimeNs(), second.cpuTimeNs());
		// a disk plugged or unplugged in between makes the sums incomparable
		Long ops = first.disks().equals(second.disks()) ? delta(first.blockRequests(), second.blockRequests()) : null;
		Long vcpuNs = delta(first.vcpuTimeNs(), second.vcpuTimeNs());
		Long pollNs = plus(delta(first.haltPollSuccessNs(), second.haltPollSuccessNs()),
				delta(first.haltPollFailNs(), second.haltPollFailNs()));
		Long exits = delta(first.exits(), second.exits());
		return new Window(guest, seconds, second.disks(), ops, perSecond(ops, seconds),
				cpuNs == null ? null : cpuNs / 1e9,
				cpuNs == null || ops == null || ops == 0 ? null : cpuNs / 1e3 / ops,
				emulated, second.vcpus(),
				vcpuNs == null ? null : vcpuNs / 1e9,
				vcpuNs == null || seconds <= 0 ? null : vcpuNs / 1e6 / seconds,
				pollNs == null ? null : pollNs / 1e9,
				pollNs == null || seconds <= 0 ? null : pollNs / 1e6 / seconds,
				pollNs == null || vcpuNs == null || vcpuNs == 0 ? null : 100.0 * pollNs / vcpuNs,
				exits, perSecond(exits, seconds), wentBack(first.cpuTimeNs(), second.cpuTimeNs())
						|| wentBack(first.vcpuTimeNs(), second.vcpuTimeNs()));
	}

	private static boolean wentBack(Long a, Long b) {
		return a != null && b != null && b < a;
	}

	private static Double perSecond(Long count, double seconds) {
		return count == null || seconds <= 0 ? null : count / seconds;
	}

	/**
	 * b - a for counters; null when either is unknown, and when the counter went back: the guest
	 * restarted inside the window, so what it did before the restart is lost, and 0 would be a lie.
	 */
	private static Long delta(Long a, Long b) {
		return a == null || b == null || b < a ? null : b - a;
	}

	/** a + b where either may be unknown; unknown only when both are. */
	private static Long plus(Long a, Long b) {
		if (a == null || b == null) {
			return a == null ? b : a;
		}
		return a + b;
	}

	private static Long number(Map<String, Object> p, String field) {
		return p.get(field) instanceof Number n ? n.longValue() : null;
	}
}
