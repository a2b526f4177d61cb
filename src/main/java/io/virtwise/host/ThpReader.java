package io.virtwise.host;

import java.nio.file.Path;

import io.virtwise.facts.ThpFacts;

/** Transparent huge pages from /sys/kernel/mm/transparent_hugepage/{enabled,defrag}. */
final class ThpReader {

	private final HostRoots roots;

	ThpReader(HostRoots roots) {
		this.roots = roots;
	}

	/** {@code null} when neither mode can be read (kernel without THP). */
	ThpFacts read() {
		Path dir = roots.sys().resolve("kernel/mm/transparent_hugepage");
		String enabled = SysfsText.selectedMode(SysfsText.read(dir.resolve("enabled")));
		String defrag = SysfsText.selectedMode(SysfsText.read(dir.resolve("defrag")));
		return enabled == null && defrag == null ? null : new ThpFacts(enabled, defrag);
	}
}
