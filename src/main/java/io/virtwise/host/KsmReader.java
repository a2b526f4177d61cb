package io.virtwise.host;

import java.nio.file.Path;

import io.virtwise.facts.KsmFacts;

/** Kernel samepage merging from /sys/kernel/mm/ksm (see the kernel's admin-guide/mm/ksm.rst). */
public final class KsmReader {

	private final HostRoots roots;

	public KsmReader(HostRoots roots) {
		this.roots = roots;
	}

	/** {@code null} when the kernel has no KSM (no run file can be read). */
	public KsmFacts read() {
		Path dir = roots.sys().resolve("kernel/mm/ksm");
		Integer run = SysfsText.readInt(dir.resolve("run"));
		if (run == null) {
			return null;
		}
		return new KsmFacts(run, SysfsText.readLong(dir.resolve("pages_shared")),
				SysfsText.readLong(dir.resolve("pages_sharing")), SysfsText.readLong(dir.resolve("full_scans")),
				SysfsText.readInt(dir.resolve("merge_across_nodes")));
	}
}
