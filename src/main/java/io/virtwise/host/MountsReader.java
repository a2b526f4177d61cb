package io.virtwise.host;

import java.util.ArrayList;
import java.util.List;

/** /proc/mounts, the one place both the hugetlbfs and the cgroup checks look at. */
final class MountsReader {

	record Mount(String device, String mountPoint, String fsType) {
	}

	private final HostRoots roots;

	MountsReader(HostRoots roots) {
		this.roots = roots;
	}

	/** The mount table in order, or {@code null} when it cannot be read. */
	List<Mount> read() {
		List<String> lines = SysfsText.readLines(roots.proc().resolve("mounts"));
		if (lines == null) {
			return null;
		}
		List<Mount> mounts = new ArrayList<>();
		for (String line : lines) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length >= 3) {
				mounts.add(new Mount(SysfsText.unescapeMountField(fields[0]), SysfsText.unescapeMountField(fields[1]),
						fields[2]));
			}
		}
		return List.copyOf(mounts);
	}
}
