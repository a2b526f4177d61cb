package io.virtwise.probe.kvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reserves huge pages of one size for a probe guest and gives the pool back afterwards: only the
 * pages missing are asked for, and {@code nr_hugepages} is put back to what it was, also from the
 * run's cleanup on failure and Ctrl-C. A reservation the kernel does not grant in full (fragmented
 * memory, no permission) is reported, never worked around.
 */
public final class HugePages {

	private final Path pool;
	private final Path mounts;
	private Long original;

	/** {@code pool}: e.g. /sys/kernel/mm/hugepages/hugepages-2048kB; {@code mounts}: /proc/mounts. */
	public HugePages(Path pool, Path mounts) {
		this.pool = pool;
		this.mounts = mounts;
	}

	/** Null when {@code need} pages are free (reserving the missing ones), else why not. */
	public synchronized String reserve(long need, Consumer<Runnable> undo) {
		String size = pool.getFileName().toString().replace("hugepages-", "");
		try {
			if (Files.readAllLines(mounts).stream().noneMatch(l -> l.split(" ").length > 2 && l.split(" ")[2].equals("hugetlbfs"))) {
				return "no hugetlbfs is mounted, so libvirt cannot back a guest with huge pages (mount -t hugetlbfs hugetlbfs "
						+ "/dev/hugepages, then restart libvirtd)";
			}
			long free = read("free_hugepages");
			if (free >= need) {
				return null;
			}
			long nr = read("nr_hugepages");
			long asked = nr + need - free;
			if (original == null) {
				original = nr;
				undo.accept(this::restore);
			}
			Files.writeString(pool.resolve("nr_hugepages"), Long.toString(asked));
			long now = read("free_hugepages");
			if (now < need) {
				restore();
				return "huge pages could not be reserved: " + need + " free " + size + " pages needed, " + now + " free after "
						+ "asking for nr_hugepages=" + asked + " (memory fragmented, or not permitted); no figure without them";
			}
			return null;
		}
		catch (IOException | NumberFormatException e) {
			restore();
			return "huge pages could not be reserved: " + pool + ": " + e.getMessage();
		}
	}

	/** Puts nr_hugepages back to what it was before {@link #reserve}; nothing when it was not changed. */
	public synchronized void restore() {
		if (original == null) {
			return;
		}
		try {
			Files.writeString(pool.resolve("nr_hugepages"), Long.toString(original));
			original = null;
		}
		catch (IOException e) {
			// kept: the cleanup tries again
		}
	}

	private long read(String file) throws IOException {
		return Long.parseLong(Files.readString(pool.resolve(file)).strip());
	}
}
