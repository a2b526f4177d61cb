package io.virtwise.host;

import java.util.List;
import java.util.Map;

import io.virtwise.facts.MemoryFacts;

/** /proc/meminfo: total, available and swap, in kB. */
final class MemoryReader {

	private final HostRoots roots;

	MemoryReader(HostRoots roots) {
		this.roots = roots;
	}

	/** {@code null} when meminfo cannot be read or names none of the three. */
	MemoryFacts read() {
		List<String> lines = SysfsText.readLines(roots.proc().resolve("meminfo"));
		if (lines == null) {
			return null;
		}
		Map<String, String> fields = SysfsText.colonFields(lines);
		Long total = SysfsText.parseSizeKb(fields.get("MemTotal"));
		Long available = SysfsText.parseSizeKb(fields.get("MemAvailable"));
		Long swap = SysfsText.parseSizeKb(fields.get("SwapTotal"));
		return total == null && available == null && swap == null ? null : new MemoryFacts(total, available, swap);
	}
}
