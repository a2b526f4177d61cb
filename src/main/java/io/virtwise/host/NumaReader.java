package io.virtwise.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.virtwise.facts.NumaNode;

/** NUMA nodes from /sys/devices/system/node/nodeN/{cpulist,meminfo}. */
final class NumaReader {

	private final HostRoots roots;

	NumaReader(HostRoots roots) {
		this.roots = roots;
	}

	/** Nodes by id; {@code null} when the node directory is missing (kernel without NUMA) or unreadable. */
	List<NumaNode> read() {
		List<SysfsText.Numbered> dirs = SysfsText.numberedChildren(roots.sys().resolve("devices/system/node"), "node");
		if (dirs == null || dirs.isEmpty()) {
			return null;
		}
		List<NumaNode> nodes = new ArrayList<>();
		for (SysfsText.Numbered dir : dirs) {
			List<Integer> cpus = SysfsText.parseCpuList(SysfsText.read(dir.path().resolve("cpulist")));
			Long total = null;
			Long free = null;
			List<String> lines = SysfsText.readLines(dir.path().resolve("meminfo"));
			if (lines != null) {
				// Lines read "Node 0 MemTotal:  4024524 kB"; drop the "Node N" prefix.
				String prefix = "Node " + dir.number() + " ";
				List<String> stripped = lines.stream()
					.map(line -> line.startsWith(prefix) ? line.substring(prefix.length()) : line)
					.toList();
				Map<String, String> fields = SysfsText.colonFields(stripped);
				total = SysfsText.parseSizeKb(fields.get("MemTotal"));
				free = SysfsText.parseSizeKb(fields.get("MemFree"));
			}
			nodes.add(new NumaNode(dir.number(), cpus, total, free));
		}
		return List.copyOf(nodes);
	}
}
