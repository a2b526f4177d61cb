package io.virtwise.host;

import java.util.List;

import io.virtwise.facts.KernelFacts;

/** Kernel release and NUMA balancing from /proc/sys/kernel, the cgroup layout from /proc/mounts. */
final class KernelReader {

	private final HostRoots roots;

	KernelReader(HostRoots roots) {
		this.roots = roots;
	}

	KernelFacts read() {
		String release = SysfsText.read(roots.proc().resolve("sys/kernel/osrelease"));
		release = release == null || release.isEmpty() ? null : release;
		String cgroup = cgroupVersion(new MountsReader(roots).read());
		Long balancing = SysfsText.readLong(roots.proc().resolve("sys/kernel/numa_balancing"));
		// 1 is classic balancing, 2 memory tiering, 3 both: anything but 0 moves pages.
		Boolean numaBalancing = balancing == null || balancing < 0 ? null : balancing > 0;
		return release == null && cgroup == null && numaBalancing == null ? null
				: new KernelFacts(release, cgroup, numaBalancing);
	}

	/**
	 * "2" when the unified hierarchy is mounted at /sys/fs/cgroup (or is the only kind), "1" for v1
	 * controllers alone, "hybrid" when v1 controllers sit beside a cgroup2 mount elsewhere (systemd's
	 * /sys/fs/cgroup/unified); {@code null} when there is no cgroup mount or /proc/mounts is unreadable.
	 */
	static String cgroupVersion(List<MountsReader.Mount> mounts) {
		if (mounts == null) {
			return null;
		}
		if (mounts.stream().anyMatch(m -> m.fsType().equals("cgroup2") && m.mountPoint().equals("/sys/fs/cgroup"))) {
			return "2";
		}
		boolean v1 = mounts.stream().anyMatch(m -> m.fsType().equals("cgroup"));
		boolean v2 = mounts.stream().anyMatch(m -> m.fsType().equals("cgroup2"));
		if (v1 && v2) {
			return "hybrid";
		}
		return v1 ? "1" : v2 ? "2" : null;
	}
}
