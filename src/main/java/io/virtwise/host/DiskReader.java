package io.virtwise.host;

import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.DiskInfo;

/** Block devices from /sys/block/NAME/{queue/rotational,queue/scheduler,queue/max_segments,queue/max_sectors_kb,size}. */
public final class DiskReader {

	// Loop, RAM and compressed-RAM devices are not storage a guest image would live on.
	private static final List<String> SKIPPED = List.of("loop", "ram", "zram");

	private final HostRoots roots;

	public DiskReader(HostRoots roots) {
		this.roots = roots;
	}

	/** Disks by name; {@code null} when /sys/block cannot be listed. */
	public List<DiskInfo> read() {
		List<String> names = names();
		return names == null ? null : names.stream().map(this::read).toList();
	}

	/** The names of the disks {@link #read()} reads, without reading them; {@code null} when /sys/block cannot be listed. */
	public List<String> names() {
		List<String> names = SysfsText.childNames(roots.sys().resolve("block"));
		return names == null ? null : names.stream().filter(name -> SKIPPED.stream().noneMatch(name::startsWith)).toList();
	}

	/** One disk by its /sys/block name; unreadable attributes are null. */
	public DiskInfo read(String name) {
		Path dir = roots.sys().resolve("block").resolve(name);
		Boolean rotational = SysfsText.parseFlag(SysfsText.read(dir.resolve("queue/rotational")));
		String scheduler = SysfsText.selectedMode(SysfsText.read(dir.resolve("queue/scheduler")));
		// /sys/block/X/size counts 512-byte sectors whatever the device's logical block size.
		Long sectors = SysfsText.readLong(dir.resolve("size"));
		Long size = sectors == null || sectors < 0 ? null : sectors * 512;
		return new DiskInfo(name, rotational, scheduler, size, SysfsText.readInt(dir.resolve("queue/max_segments")),
				SysfsText.readInt(dir.resolve("queue/max_sectors_kb")));
	}
}
