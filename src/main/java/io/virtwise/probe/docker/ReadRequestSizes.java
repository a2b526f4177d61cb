package io.virtwise.probe.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.virtwise.host.DiskReader;
import io.virtwise.host.HostRoots;

/**
 * How large the big read requests were that reached this machine's disks while one fio run went:
 * /proc/diskstats every 50 ms, and per whole disk the KiB per read request over the intervals whose
 * reads averaged more than 256 KiB (the 1 MiB sequential job; the 4k jobs come to 4 KiB).
 *
 * <p>Why: a 1 MiB O_DIRECT read needs a segment per run of physically adjacent pages of fio's
 * buffer. A virtio disk may take fewer than 256 (queue/max_segments), so a buffer whose 256 pages
 * all lie apart goes as two requests, and which pages fio gets depends on the machine's free memory
 * at that moment. Split runs read markedly slower, so sequential figures are only comparable with
 * the request size beside them. Meaningful only when the engine runs on this machine.
 */
public final class ReadRequestSizes implements AutoCloseable {

	static final long INTERVAL_MS = 50;
	static final double LARGE_KIB = 256;
	private final HostRoots roots;
	/** Whole disks only (a partition's reads are in its disk's line too), listed once, not every 50 ms. */
	private final Set<String> disks;
	/** disk -> {read requests, sectors read}, summed over the large-read intervals */
	private final Map<String, long[]> large = new LinkedHashMap<>();
	private final Thread sampler;
	private volatile boolean stopping;

	private ReadRequestSizes(HostRoots roots) {
		this.roots = roots;
		this.disks = wholeDisks(roots);
		this.sampler = new Thread(this::sample, "virtwise-diskstats");
		this.sampler.setDaemon(true);
	}

	/** Starts sampling; {@link #close()} stops it. */
	public static ReadRequestSizes watch(HostRoots roots) {
		ReadRequestSizes sizes = new ReadRequestSizes(roots);
		sizes.sampler.start();
		return sizes;
	}

	private void sample() {
		Map<String, long[]> before = read();
		while (!stopping && before != null) {
			try {
				Thread.sleep(INTERVAL_MS);
			}
			catch (InterruptedException e) {
				return;
			}
			Map<String, long[]> now = read();
			if (now == null) {
				return;
			}
			synchronized (large) {
				addLargeReads(before, now, large);
			}
			before = now;
		}
	}

	private Map<String, long[]> read() {
		try {
			return readCounts(disks, Files.readString(roots.proc().resolve("diskstats")));
		}
		catch (IOException e) {
			return null; // no diskstats (another kernel, a sandbox): no figure, not a made-up one
		}
	}

	/** Stops sampling and waits for the sampler. */
	@Override
	public void close() {
		stopping = true;
		try {
			sampler.join(1000);
		}
		catch (InterruptedException e) {
			sampler.interrupt();
			Thread.currentThread().interrupt();
		}
	}

	/** After {@link #close()}: per disk that saw large reads, KiB per read request; empty when none did. */
	Map<String, Double> kibPerRequest() {
		Map<String, Double> kib = new LinkedHashMap<>();
		synchronized (large) {
			large.forEach((disk, c) -> kib.put(disk, c[1] * 512 / 1024.0 / c[0]));
		}
		return kib;
	}

	/** /proc/diskstats: disk -> {reads completed, sectors read}, for whole disks under /sys/block. */
	static Map<String, long[]> readCounts(HostRoots roots, String diskstats) {
		return readCounts(wholeDisks(roots), diskstats);
	}

	/** The disks {@link DiskReader} lists (loop, RAM and zram devices left out); empty when /sys/block cannot be listed. */
	private static Set<String> wholeDisks(HostRoots roots) {
		List<String> disks = new DiskReader(roots).names();
		return disks == null ? Set.of() : Set.copyOf(disks);
	}

	private static Map<String, long[]> readCounts(Set<String> disks, String diskstats) {
		Map<String, long[]> counts = new LinkedHashMap<>();
		for (String line : diskstats.split("\n")) {
			String[] f = line.trim().split("\\s+");
			if (f.length < 6 || !disks.contains(f[2])) {
				continue;
			}
			try {
				counts.put(f[2], new long[] { Long.parseLong(f[3]), Long.parseLong(f[5]) });
			}
			catch (NumberFormatException e) {
				// a line this kernel formats differently: that disk is left out
			}
		}
		return counts;
	}

	/** Adds, per disk, one interval's reads and sectors when they averaged more than {@link #LARGE_KIB}. */
	static void addLargeReads(Map<String, long[]> before, Map<String, long[]> now, Map<String, long[]> large) {
		now.forEach((disk, c) -> {
			long[] b = before.get(disk);
			if (b == null) {
				return;
			}
			long reads = c[0] - b[0];
			long sectors = c[1] - b[1];
			if (reads > 0 && sectors * 512 / 1024.0 / reads > LARGE_KIB) {
				long[] sum = large.computeIfAbsent(disk, k -> new long[2]);
				sum[0] += reads;
				sum[1] += sectors;
			}
		});
	}
}
