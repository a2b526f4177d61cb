package io.virtwise.docker.inspect;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What only the engine's own host shows: the filesystem under its root directory (the host's mount
 * table) and what its containers write now ({@link ContainerWrites}). Only for an engine on a local
 * socket, and only once its root directory is seen here (an engine in a VM or another mount
 * namespace has its own); everything else is unknown.
 */
public final class LocalHost {

	/** One window for all containers: long enough to see a steady writer, short enough for every inspect. */
	public static final Duration WINDOW = Duration.ofMillis(1000);

	private final Path proc;
	private final ContainerWrites writes;

	public LocalHost(Path proc, ContainerWrites writes) {
		this.proc = proc;
		this.writes = writes;
	}

	/** For the engine at this address: the running machine's when it is a local socket, else null. */
	public static LocalHost forEngine(String host) {
		if (host == null || !host.startsWith("unix://") || URI.create(host).getPath() == null) {
			return null;
		}
		Path proc = Path.of("/proc");
		return new LocalHost(proc, new ContainerWrites(proc, WINDOW));
	}

	/**
	 * The filesystem type (ext4, xfs...) of the mount holding the engine's root directory, or null
	 * when that directory, with the driver's image store in it, is not seen on this host.
	 */
	public String filesystemOf(String rootDir, String storageDriver) {
		if (rootDir == null || storageDriver == null || !Files.isDirectory(Path.of(rootDir).resolve("image").resolve(storageDriver))) {
			return null;
		}
		List<String> lines;
		try {
			lines = Files.readAllLines(proc.resolve("mounts"));
		}
		catch (IOException | RuntimeException e) {
			return null;
		}
		return filesystemOf(lines, rootDir);
	}

	/** The type of the longest mount point holding {@code dir} in a /proc/mounts table (later mounts win ties). */
	static String filesystemOf(List<String> mounts, String dir) {
		String best = null;
		int bestLength = -1;
		for (String line : mounts) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length < 3) {
				continue;
			}
			String point = ContainerWrites.unescape(fields[1]);
			boolean holds = point.equals("/") || dir.equals(point) || dir.startsWith(point + "/");
			if (holds && point.length() >= bestLength) {
				best = fields[2];
				bestLength = point.length();
			}
		}
		return best;
	}

	public Map<String, ContainerWrites.Reading> writes(Collection<String> runningIds) {
		return writes.read(runningIds);
	}

	/** The first count of a window over these containers' writes, to be finished after other work. */
	public ContainerWrites.Window startWrites(Collection<String> runningIds) {
		return writes.start(runningIds);
	}

	public Map<String, ContainerWrites.Reading> finishWrites(ContainerWrites.Window window) {
		return writes.finish(window);
	}
}
