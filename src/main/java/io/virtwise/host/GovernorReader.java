package io.virtwise.host;

import java.util.List;
import java.util.TreeSet;

/** The cpufreq governor from /sys/devices/system/cpu/cpuN/cpufreq/scaling_governor. */
final class GovernorReader {

	private final HostRoots roots;

	GovernorReader(HostRoots roots) {
		this.roots = roots;
	}

	/**
	 * The governor all CPUs share, {@code mixed(a,b)} (sorted) when they differ, {@code null} when
	 * no CPU has cpufreq (virtual machines usually do not).
	 */
	String read() {
		List<SysfsText.Numbered> cpus = SysfsText.numberedChildren(roots.sys().resolve("devices/system/cpu"), "cpu");
		if (cpus == null) {
			return null;
		}
		TreeSet<String> governors = new TreeSet<>();
		for (SysfsText.Numbered cpu : cpus) {
			String governor = SysfsText.read(cpu.path().resolve("cpufreq/scaling_governor"));
			if (governor != null && !governor.isEmpty()) {
				governors.add(governor);
			}
		}
		if (governors.isEmpty()) {
			return null;
		}
		return governors.size() == 1 ? governors.first() : "mixed(" + String.join(",", governors) + ")";
	}
}
