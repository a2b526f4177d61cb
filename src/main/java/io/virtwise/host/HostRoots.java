package io.virtwise.host;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the readers find procfs, sysfs and devtmpfs. Tests point these at a captured tree;
 * {@link #live()} is the running machine.
 */
public record HostRoots(Path proc, Path sys, Path dev) {

	public HostRoots {
		Objects.requireNonNull(proc, "proc");
		Objects.requireNonNull(sys, "sys");
		Objects.requireNonNull(dev, "dev");
	}

	/** The running machine: /proc, /sys, /dev. */
	public static HostRoots live() {
		return new HostRoots(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));
	}

	/** A captured tree laid out as {@code root/proc}, {@code root/sys}, {@code root/dev}. */
	public static HostRoots under(Path root) {
		return new HostRoots(root.resolve("proc"), root.resolve("sys"), root.resolve("dev"));
	}
}
