package io.virtwise.host;

import java.nio.file.Path;

import io.virtwise.facts.ThpFacts;

/** Transparent huge pages from /sys/kernel/mm/transparent_hugepage/{enabled,defrag}. */
public final class ThpReader {

	private final HostRoots roots;

	public ThpReader(HostRoots roots) {
		this.roots = roots;
	}

	/** {@code null} when neither mode can be read (kernel without THP). */
	public ThpFacts read() {
		Path dir = roots.sys().resolve("kernel/mm/transparent_hugepage");
		String enabled = SysfsText.selectedMode(SysfsText.read(dir.resolve("enabled")));
		String defrag = SysfsText.selectedMode(SysfsText.read(dir.resolve("defrag")));
		return enabled == null && defrag == null ? null : new ThpFacts(enabled, defrag);
	}
}
