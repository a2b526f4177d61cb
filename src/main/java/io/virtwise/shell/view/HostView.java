package io.virtwise.shell.view;

import java.util.List;
import java.util.stream.Collectors;

import io.virtwise.facts.CacheInfo;
import io.virtwise.facts.CpuFacts;
import io.virtwise.facts.DiskInfo;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.HugePagePool;
import io.virtwise.facts.KernelFacts;
import io.virtwise.facts.MemoryFacts;
import io.virtwise.facts.NicInfo;
import io.virtwise.facts.NumaNode;
import io.virtwise.facts.ThpFacts;
import io.virtwise.facts.VirtFacts;

/** Shows what the host offers for virtualisation; unknown values read "unknown", never 0. */
public final class HostView {

	private static final String UNKNOWN = "unknown";

	private final Styler styler;

	public HostView(Styler styler) {
		this.styler = styler;
	}

	public String text(HostFacts host) {
		StringBuilder out = new StringBuilder();
		section(out, "Host " + orUnknown(host.hostname()));
		CpuFacts cpu = host.cpu();
		if (cpu == null) {
			line(out, "cpu", UNKNOWN);
		}
		else {
			line(out, "cpu", orUnknown(cpu.model()) + (cpu.vendor() == null ? "" : " (" + cpu.vendor() + ")"));
			line(out, "topology", orUnknown(cpu.sockets()) + " socket(s) x " + perSocket(cpu) + " core(s) x "
					+ orUnknown(cpu.threadsPerCore()) + " thread(s) = " + orUnknown(cpu.threads()) + " logical CPUs");
			line(out, "siblings", cpu.siblings() == null ? UNKNOWN
					: cpu.siblings().stream().map(HostView::cpuList).collect(Collectors.joining("  ")));
		}
		List<NumaNode> nodes = host.numaNodes();
		if (nodes == null) {
			line(out, "numa", UNKNOWN);
		}
		else {
			for (NumaNode node : nodes) {
				line(out, "numa node " + node.id(), "cpus " + cpuList(node.cpus()) + ", memory " + kb(node.memTotalKb())
						+ " (" + kb(node.memFreeKb()) + " free)");
			}
		}
		if (host.caches() == null) {
			line(out, "caches", UNKNOWN);
		}
		else {
			for (CacheInfo cache : host.caches()) {
				line(out, "L" + cache.level() + " " + cache.type().toLowerCase(), kb(cache.sizeKb()) + ", shared by "
						+ (cache.sharedBy() == null ? UNKNOWN
								: cache.sharedBy().stream().map(HostView::cpuList).collect(Collectors.joining(" | "))));
			}
		}

		section(out, "Memory");
		MemoryFacts memory = host.memory();
		line(out, "total", memory == null ? UNKNOWN : kb(memory.totalKb()) + " (" + kb(memory.availableKb())
				+ " available, swap " + kb(memory.swapTotalKb()) + ")");
		if (host.hugePages() == null) {
			line(out, "huge pages", UNKNOWN);
		}
		else {
			for (HugePagePool pool : host.hugePages()) {
				line(out, "huge pages " + kb(pool.pageSizeKb()), "total " + orUnknown(pool.total()) + ", free "
						+ orUnknown(pool.free()) + ", reserved " + orUnknown(pool.reserved()) + ", surplus "
						+ orUnknown(pool.surplus()));
			}
		}
		line(out, "hugetlbfs", host.hugetlbfsMounts() == null ? UNKNOWN
				: host.hugetlbfsMounts().isEmpty() ? styler.yellow("not mounted") : String.join(", ", host.hugetlbfsMounts()));
		ThpFacts thp = host.thp();
		line(out, "THP", thp == null ? UNKNOWN : "enabled " + orUnknown(thp.enabled()) + ", defrag " + orUnknown(thp.defrag()));
		line(out, "cpu governor", host.cpuGovernor() == null ? "unknown (no cpufreq)" : host.cpuGovernor());

		section(out, "Virtualisation");
		VirtFacts virt = host.virt();
		if (virt == null) {
			line(out, "support", UNKNOWN);
		}
		else {
			line(out, "hardware", orUnknown(virt.hardwareVirt()));
			line(out, "/dev/kvm", virt.kvmDevicePresent() == null ? UNKNOWN
					: !virt.kvmDevicePresent() ? styler.red("missing")
					: Boolean.TRUE.equals(virt.kvmDeviceAccessible()) ? styler.green("present, accessible")
					: styler.red("present, not accessible"));
			line(out, "kvm flavour", orUnknown(virt.kvmFlavour()) + (Boolean.TRUE.equals(virt.nestedEnabled()) ? " (nested)" : ""));
			line(out, "running as guest", virt.runningAsGuest() == null ? UNKNOWN
					: virt.runningAsGuest() ? "yes" + (virt.hypervisor() == null ? "" : " (" + virt.hypervisor() + ")") : "no");
			line(out, "vhost-net", virt.vhostNetPresent() == null ? UNKNOWN : virt.vhostNetPresent() ? "present" : "missing");
		}
		KernelFacts kernel = host.kernel();
		line(out, "kernel", kernel == null ? UNKNOWN : orUnknown(kernel.release()) + ", cgroup " + orUnknown(kernel.cgroupVersion())
				+ (kernel.numaBalancing() == null ? "" : ", numa_balancing " + (kernel.numaBalancing() ? "on" : "off")));

		section(out, "Devices");
		if (host.disks() == null) {
			line(out, "disks", UNKNOWN);
		}
		else {
			for (DiskInfo disk : host.disks()) {
				line(out, "disk " + disk.name(), (disk.rotational() == null ? UNKNOWN : disk.rotational() ? "rotational" : "solid state")
						+ ", scheduler " + orUnknown(disk.scheduler()) + ", " + bytes(disk.sizeBytes())
						+ requestLimits(disk));
			}
		}
		if (host.nics() == null) {
			line(out, "nics", UNKNOWN);
		}
		else {
			for (NicInfo nic : host.nics()) {
				line(out, "nic " + nic.name(), "driver " + orUnknown(nic.driver()) + ", "
						+ (nic.speedMbps() == null ? "speed unknown" : nic.speedMbps() + " Mb/s") + ", mtu " + orUnknown(nic.mtu())
						+ ", " + orUnknown(nic.operState()));
			}
		}
		return out.toString().stripTrailing();
	}

	/** The largest request the disk's queue takes, as far as known. */
	static String requestLimits(DiskInfo disk) {
		return disk.requestLimits() == null ? "" : ", requests up to " + disk.requestLimits();
	}

	private static Object perSocket(CpuFacts cpu) {
		if (cpu.cores() == null || cpu.sockets() == null || cpu.sockets() == 0) {
			return UNKNOWN;
		}
		return cpu.cores() / cpu.sockets();
	}

	private void section(StringBuilder out, String title) {
		if (out.length() > 0) {
			out.append('\n');
		}
		out.append(styler.bold(title)).append('\n');
	}

	private static void line(StringBuilder out, String label, String value) {
		out.append(String.format("  %-22s %s%n", label, value));
	}

	private static String orUnknown(Object value) {
		return value == null ? UNKNOWN : value.toString();
	}

	static String cpuList(List<Integer> cpus) {
		if (cpus == null) {
			return UNKNOWN;
		}
		StringBuilder out = new StringBuilder();
		int i = 0;
		while (i < cpus.size()) {
			int j = i;
			while (j + 1 < cpus.size() && cpus.get(j + 1) == cpus.get(j) + 1) {
				j++;
			}
			if (out.length() > 0) {
				out.append(',');
			}
			out.append(cpus.get(i));
			if (j > i) {
				out.append('-').append(cpus.get(j));
			}
			i = j + 1;
		}
		return out.toString();
	}

	static String kb(Long kb) {
		if (kb == null) {
			return UNKNOWN;
		}
		if (kb >= 1024L * 1024 && kb % (1024L * 1024) == 0) {
			return kb / (1024 * 1024) + " GiB";
		}
		if (kb >= 1024L * 1024) {
			return String.format("%.1f GiB", kb / (1024.0 * 1024));
		}
		if (kb >= 1024 && kb % 1024 == 0) {
			return kb / 1024 + " MiB";
		}
		if (kb >= 1024) {
			return String.format("%.1f MiB", kb / 1024.0);
		}
		return kb + " KiB";
	}

	static String kb(long kb) {
		return kb(Long.valueOf(kb));
	}

	private static String bytes(Long bytes) {
		return bytes == null ? "size unknown" : kb(bytes / 1024);
	}
}
