package io.virtwise.host;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** /proc/cpuinfo: identity strings, CPU flags, and a per-processor topology fallback. */
final class CpuInfoReader {

	private final HostRoots roots;

	CpuInfoReader(HostRoots roots) {
		this.roots = roots;
	}

	/** One {@code processor} block; ids are {@code null} where the architecture omits them. */
	record Processor(int id, Integer physicalId, Integer coreId) {
	}

	/**
	 * What cpuinfo says. {@code flags} is the union over all processors, or {@code null} when no
	 * block has a {@code flags} line (unreadable file, or an architecture that calls them otherwise).
	 */
	record CpuInfo(String model, String vendor, Set<String> flags, List<Processor> processors) {
	}

	/** {@code null} when /proc/cpuinfo cannot be read. */
	CpuInfo read() {
		List<String> lines = SysfsText.readLines(roots.proc().resolve("cpuinfo"));
		if (lines == null) {
			return null;
		}
		String model = null;
		String vendor = null;
		Set<String> flags = null;
		List<Processor> processors = new ArrayList<>();
		for (List<String> block : blocks(lines)) {
			Map<String, String> fields = SysfsText.colonFields(block);
			model = model != null ? model : nonBlank(fields.get("model name"));
			vendor = vendor != null ? vendor : nonBlank(fields.get("vendor_id"));
			String blockFlags = fields.get("flags");
			if (blockFlags != null) {
				flags = flags == null ? new LinkedHashSet<>() : flags;
				for (String flag : blockFlags.split("\\s+")) {
					if (!flag.isEmpty()) {
						flags.add(flag);
					}
				}
			}
			Integer id = SysfsText.parseInt(fields.get("processor"));
			if (id != null) {
				processors.add(new Processor(id, SysfsText.parseInt(fields.get("physical id")),
						SysfsText.parseInt(fields.get("core id"))));
			}
		}
		return new CpuInfo(model, vendor, flags == null ? null : Set.copyOf(flags), List.copyOf(processors));
	}

	private static List<List<String>> blocks(List<String> lines) {
		List<List<String>> blocks = new ArrayList<>();
		List<String> current = new ArrayList<>();
		for (String line : lines) {
			if (line.isBlank()) {
				if (!current.isEmpty()) {
					blocks.add(current);
					current = new ArrayList<>();
				}
			}
			else {
				current.add(line);
			}
		}
		if (!current.isEmpty()) {
			blocks.add(current);
		}
		return blocks;
	}

	private static String nonBlank(String s) {
		return s == null || s.isBlank() ? null : s;
	}
}
