package io.virtwise.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.virtwise.facts.CacheInfo;

/** CPU caches from /sys/devices/system/cpu/cpuN/cache/indexM/{level,type,size,shared_cpu_list}. */
final class CacheReader {

	private static final Comparator<List<Integer>> BY_FIRST_CPU = Comparator.comparing(group -> group.get(0));

	private final HostRoots roots;

	CacheReader(HostRoots roots) {
		this.roots = roots;
	}

	/**
	 * One entry per (level, type), ordered by level then type. When CPUs disagree on the size
	 * (hybrid cores) the largest is kept: it bounds what one core can ever use.
	 */
	List<CacheInfo> read() {
		List<SysfsText.Numbered> cpus = SysfsText.numberedChildren(roots.sys().resolve("devices/system/cpu"), "cpu");
		if (cpus == null) {
			return null;
		}
		Map<String, Acc> byKind = new TreeMap<>();
		for (SysfsText.Numbered cpu : cpus) {
			List<SysfsText.Numbered> indexes = SysfsText.numberedChildren(cpu.path().resolve("cache"), "index");
			if (indexes == null) {
				continue;
			}
			for (SysfsText.Numbered index : indexes) {
				Path dir = index.path();
				Integer level = SysfsText.readInt(dir.resolve("level"));
				String type = SysfsText.read(dir.resolve("type"));
				if (level == null || type == null || type.isEmpty()) {
					continue;
				}
				Acc acc = byKind.computeIfAbsent(String.format("%03d/%s", level, type), k -> new Acc(level, type));
				acc.add(SysfsText.parseSizeKb(SysfsText.read(dir.resolve("size"))),
						SysfsText.parseCpuList(SysfsText.read(dir.resolve("shared_cpu_list"))));
			}
		}
		if (byKind.isEmpty()) {
			return null;
		}
		return byKind.values().stream().map(Acc::toInfo).toList();
	}

	private static final class Acc {

		final int level;
		final String type;
		Long sizeKb;
		boolean sizeUnknown;
		final Set<List<Integer>> groups = new LinkedHashSet<>();
		boolean groupsUnknown;

		Acc(int level, String type) {
			this.level = level;
			this.type = type;
		}

		void add(Long size, List<Integer> sharedBy) {
			if (size == null) {
				sizeUnknown = true;
			}
			else if (sizeKb == null || size > sizeKb) {
				sizeKb = size;
			}
			if (sharedBy == null || sharedBy.isEmpty()) {
				groupsUnknown = true;
			}
			else {
				groups.add(sharedBy);
			}
		}

		CacheInfo toInfo() {
			List<List<Integer>> sorted = new ArrayList<>(groups);
			sorted.sort(BY_FIRST_CPU);
			// A missing instance would make the groups look less shared than they are.
			return new CacheInfo(level, type, sizeUnknown ? null : sizeKb, groupsUnknown ? null : sorted);
		}
	}
}
