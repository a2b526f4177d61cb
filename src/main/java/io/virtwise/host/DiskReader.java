package io.virtwise.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.virtwise.facts.DiskInfo;

/** Block devices from /sys/block/NAME/{queue/rotational,queue/scheduler,queue/max_segments,queue/max_sectors_kb,size}. */
final class DiskReader {

	// Loop, RAM and compressed-RAM devices are not storage a guest image would live on.
	private static final List<String> SKIPPED = List.of("loop", "ram", "zram");

	private final HostRoots roots;

	DiskReader(HostRoots roots) {
		this.roots = roots;
	}

	/** Disks by name; {@code null} when /sys/block cannot be listed. */
	List<DiskInfo> read() {
		Path block = roots.sys().resolve("block");
		List<String> names = SysfsText.childNames(block);
		if (names == null) {
			return null;
		}
		List<DiskInfo> disks = new ArrayList<>();
		for (String name : names) {
			if (SKIPPED.stream().anyMatch(name::startsWith)) {
				continue;
			}
			Path dir = block.resolve(name);
			Boolean rotational = SysfsText.parseFlag(SysfsText.read(dir.resolve("queue/rotational")));
			String scheduler = SysfsText.selectedMode(SysfsText.read(dir.resolve("queue/scheduler")));
			// /sys/block/X/size counts 512-byte sectors whatever the device's logical block size.
			Long sectors = SysfsText.readLong(dir.resolve("size"));
			Long size = sectors == null || sectors < 0 ? null : sectors * 512;
			disks.add(new DiskInfo(name, rotational, scheduler, size, SysfsText.readInt(dir.resolve("queue/max_segments")),
					SysfsText.readInt(dir.resolve("queue/max_sectors_kb"))));
		}
		return List.copyOf(disks);
	}
}
