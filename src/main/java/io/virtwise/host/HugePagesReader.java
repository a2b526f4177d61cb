package io.virtwise.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.virtwise.facts.HugePagePool;

/** Huge page pools from /sys/kernel/mm/hugepages/hugepages-NkB, hugetlbfs mounts from /proc/mounts. */
final class HugePagesReader {

	private static final Pattern POOL = Pattern.compile("hugepages-(\\d+kB)");

	private final HostRoots roots;

	HugePagesReader(HostRoots roots) {
		this.roots = roots;
	}

	/** One pool per page size, smallest first; {@code null} when the directory cannot be listed. */
	List<HugePagePool> pools() {
		Path dir = roots.sys().resolve("kernel/mm/hugepages");
		List<String> names = SysfsText.childNames(dir);
		if (names == null) {
			return null;
		}
		List<HugePagePool> pools = new ArrayList<>();
		for (String name : names) {
			Matcher m = POOL.matcher(name);
			Long pageSizeKb = m.matches() ? SysfsText.parseSizeKb(m.group(1)) : null;
			if (pageSizeKb == null) {
				continue;
			}
			Path pool = dir.resolve(name);
			pools.add(new HugePagePool(pageSizeKb, SysfsText.readLong(pool.resolve("nr_hugepages")),
					SysfsText.readLong(pool.resolve("free_hugepages")), SysfsText.readLong(pool.resolve("resv_hugepages")),
					SysfsText.readLong(pool.resolve("surplus_hugepages"))));
		}
		pools.sort(Comparator.comparingLong(HugePagePool::pageSizeKb));
		return List.copyOf(pools);
	}

	/** Mount points of hugetlbfs in mount order; empty when none, {@code null} when /proc/mounts is unreadable. */
	List<String> hugetlbfsMounts() {
		List<MountsReader.Mount> mounts = new MountsReader(roots).read();
		if (mounts == null) {
			return null;
		}
		return mounts.stream().filter(m -> m.fsType().equals("hugetlbfs")).map(MountsReader.Mount::mountPoint).toList();
	}
}
