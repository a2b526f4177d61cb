package io.virtwise.kvm;

import java.util.ArrayList;
import java.util.List;

import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.ProbeResult;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainBlockStats;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;

/**
 * Passive figures of a running guest from libvirt's counters, read twice a window apart: block
 * requests per disk (virDomainBlockStats) and the guest's host CPU time (virDomainGetInfo). Nothing
 * is sent to the guest. Halt polling and exit counts need virConnectGetAllDomainStats, which
 * libvirt-java 0.5.4 does not expose: they stay unknown.
 */
public final class PassiveStats {

	public static final String PROBE = "kvm-passive";

	/** One reading: host CPU time in ns, block requests summed over the disks (null when no disk answered). */
	public record Sample(long nanoTime, long cpuTimeNs, Long blockRequests) {
	}

	/** The window's figures; null where unknown. */
	public record Window(String guest, double seconds, List<String> disks, Long ioOps, Double ioOpsPerSecond,
			double cpuSecondsUsed, Double cpuUsPerIo, Boolean emulated) {

		public List<ProbeResult> results() {
			List<ProbeResult> out = new ArrayList<>();
			List<String> commands = List.of("virsh domstats --block --cpu-total " + guest + "   # read twice, "
					+ String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s apart");
			if (ioOpsPerSecond != null) {
				out.add(new ProbeResult(PROBE, "libvirt-counters", guest, "io-ops-per-s", "ops/s", ioOpsPerSecond, null, null,
						null, 1, null, emulated, commands, null));
			}
			if (cpuUsPerIo != null) {
				out.add(new ProbeResult(PROBE, "libvirt-counters", guest, "cpu-us-per-io", "us", cpuUsPerIo, null, null, null, 1,
						null, emulated, commands, null));
			}
			return out;
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

	/** Reads the counters, waits, reads them again. */
	public static Window sample(Connect conn, String name, double seconds) throws LibvirtException, InterruptedException {
		Domain domain = conn.domainLookupByName(name);
		DomainInfo info = domain.getInfo();
		if (info.state != DomainInfo.DomainState.VIR_DOMAIN_RUNNING) {
			throw new NotRunningException(name + " is " + info.state.name().replace("VIR_DOMAIN_", "").toLowerCase(java.util.Locale.ROOT)
					+ ": passive stats need a running guest (virsh start " + name + ")");
		}
		GuestFacts guest = DomainXmlParser.parse(domain.getXMLDesc(0));
		List<String> disks = new ArrayList<>();
		for (GuestDisk d : guest.disks()) {
			if ("disk".equals(d.device()) && d.target() != null) {
				disks.add(d.target());
			}
		}
		Sample first = read(domain, disks);
		Thread.sleep(Math.round(seconds * 1000));
		Sample second = read(domain, disks);
		return derive(name, disks, first, second, "qemu".equals(guest.accel()) ? Boolean.TRUE : guest.accel() == null ? null : Boolean.FALSE);
	}

	private static Sample read(Domain domain, List<String> disks) throws LibvirtException {
		long now = System.nanoTime();
		long cpu = domain.getInfo().cpuTime;
		Long requests = null;
		for (String disk : disks) {
			try {
				DomainBlockStats s = domain.blockStats(disk);
				requests = (requests == null ? 0 : requests) + Math.max(0, s.rd_req) + Math.max(0, s.wr_req);
			}
			catch (LibvirtException e) {
				// a disk without stats (empty CD-ROM, unplugged) adds nothing
			}
		}
		return new Sample(now, cpu, requests);
	}

	/** The figures between two readings. */
	public static Window derive(String guest, List<String> disks, Sample first, Sample second, Boolean emulated) {
		double seconds = (second.nanoTime() - first.nanoTime()) / 1e9;
		double cpuSeconds = Math.max(0, second.cpuTimeNs() - first.cpuTimeNs()) / 1e9;
		Long ops = first.blockRequests() == null || second.blockRequests() == null ? null
				: Math.max(0, second.blockRequests() - first.blockRequests());
		Double rate = ops == null || seconds <= 0 ? null : ops / seconds;
		Double perIo = ops == null || ops == 0 ? null : cpuSeconds * 1e6 / ops;
		return new Window(guest, seconds, List.copyOf(disks), ops, rate, cpuSeconds, perIo, emulated);
	}
}
