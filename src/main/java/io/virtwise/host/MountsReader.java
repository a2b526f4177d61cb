package io.virtwise.host;

import java.util.ArrayList;
import java.util.List;

/** /proc/mounts, the one place the hugetlbfs, cgroup and disk image checks look at. */
public final class MountsReader {

	record Mount(String device, String mountPoint, String fsType) {
	}

	private final HostRoots roots;

	public MountsReader(HostRoots roots) {
		this.roots = roots;
	}

	/** The type of the filesystem holding an absolute path (the longest mount point above it); null when unknown. */
	public String filesystemOf(String path) {
		List<Mount> mounts = read();
		if (mounts == null || path == null || !path.startsWith("/")) {
			return null;
		}
		Mount best = null;
		for (Mount m : mounts) {
			String point = m.mountPoint().endsWith("/") ? m.mountPoint() : m.mountPoint() + "/";
			if ((path + "/").startsWith(point) && (best == null || m.mountPoint().length() >= best.mountPoint().length())) {
				best = m;
			}
		}
		return best == null ? null : best.fsType();
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
