package io.virtwise.docker.inspect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What running containers write now, read from the host's procfs over one short window for all of
 * them together: the bytes their processes caused to be written to storage ({@code /proc/PID/io}
 * {@code write_bytes}, counted when pages are dirtied so buffered writes count, less
 * {@code cancelled_write_bytes}), and the files they hold open for writing on their root mount,
 * which is the container's writable layer ({@code fdinfo} flags and {@code mnt_id} against the
 * process's {@code mountinfo}). A container's processes are those whose cgroup path names its id.
 * A container none of whose processes is visible here (a remote engine, another PID namespace) has
 * no reading: unknown, never zero.
 */
public final class ContainerWrites {

	/**
	 * @param bytesPerSecond what its processes wrote per second over the window, null when unreadable
	 * @param layerFilesOpenForWrite files held open for writing in its writable layer, as the
	 *        container sees them, sorted, at most {@link #MAX_FILES}
	 */
	public record Reading(Double bytesPerSecond, List<String> layerFilesOpenForWrite) {

		public Reading {
			layerFilesOpenForWrite = layerFilesOpenForWrite == null ? null : List.copyOf(layerFilesOpenForWrite);
		}
	}

	/** Waits out the window; tests pass one that changes their captured tree instead. */
	@FunctionalInterface
	public interface Sleeper {
		void sleep(Duration duration) throws InterruptedException;
	}

	static final int MAX_FILES = 64;
	// a process holding more descriptors than this is read in part: the window stays short
	private static final int MAX_FDS_PER_PROCESS = 4096;
	private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
	private static final int O_ACCMODE = 3;

	private final Path proc;
	private final Duration window;
	private final Sleeper sleeper;
	private final LongSupplier nanoTime;

	/** The running machine's procfs, a real wait. */
	public ContainerWrites(Path proc, Duration window) {
		this(proc, window, d -> Thread.sleep(d.toMillis()), System::nanoTime);
	}

	public ContainerWrites(Path proc, Duration window, Sleeper sleeper, LongSupplier nanoTime) {
		this.proc = proc;
		this.window = window;
		this.sleeper = sleeper;
		this.nanoTime = nanoTime;
	}

	/** The first count of a window, kept until {@link #finish(Window)} takes the second. */
	public final class Window {

		private final Set<String> wanted;
		private final Map<String, String> owner = new HashMap<>();
		private final Map<String, Long> before;
		private final long start;

		private Window(Collection<String> containerIds) {
			this.wanted = new HashSet<>(containerIds);
			this.before = wanted.isEmpty() ? Map.of() : written(wanted, owner);
			this.start = nanoTime.getAsLong();
		}
	}

	/** Readings by full container id, for those of these containers whose processes are visible here. */
	public Map<String, Reading> read(Collection<String> containerIds) {
		return finish(start(containerIds));
	}

	/**
	 * Takes the first count now, so that the window runs while the caller does other work (the
	 * engine's inspects); {@link #finish} waits out only what is left of it.
	 */
	public Window start(Collection<String> containerIds) {
		return new Window(containerIds);
	}

	public Map<String, Reading> finish(Window w) {
		Set<String> wanted = w.wanted;
		Map<String, String> owner = w.owner;
		Map<String, Long> before = w.before;
		if (before.isEmpty()) {
			return Map.of();
		}
		long start = w.start;
		// the files are read inside the window, which they would otherwise only wait out
		Map<String, Set<String>> files = openForWrite(owner);
		long left = window.toNanos() - (nanoTime.getAsLong() - start);
		try {
			if (left > 0) {
				sleeper.sleep(Duration.ofNanos(left));
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return Map.of();
		}
		Map<String, Long> after = written(wanted, owner);
		double seconds = Math.max(1e-3, (nanoTime.getAsLong() - start) / 1e9);
		Map<String, Reading> out = new LinkedHashMap<>();
		for (String id : before.keySet()) {
			Long b = before.get(id);
			Long a = after.get(id);
			// a process that exits to a parent outside the container takes its count along: never below zero
			Double rate = b == null || b < 0 || a == null || a < 0 ? null : Math.max(0, a - b) / seconds;
			List<String> open = new ArrayList<>(files.getOrDefault(id, Set.of()));
			out.put(id, new Reading(rate, open.subList(0, Math.min(MAX_FILES, open.size()))));
		}
		return out;
	}

	/**
	 * Bytes written so far by each wanted container's processes (-1 when some count could not be
	 * read); {@code owner} remembers which container each PID belongs to, so a second pass reads the
	 * cgroup file of new PIDs only.
	 */
	private Map<String, Long> written(Set<String> wanted, Map<String, String> owner) {
		Map<String, Long> sums = new HashMap<>();
		for (String pid : pids()) {
			String id = owner.containsKey(pid) ? owner.get(pid) : containerOf(pid, wanted);
			owner.put(pid, id);
			if (id == null) {
				continue;
			}
			long bytes = ioWritten(pid);
			sums.merge(id, bytes, (x, y) -> x < 0 || y < 0 ? -1 : x + y);
		}
		return sums;
	}

	private List<String> pids() {
		List<String> pids = new ArrayList<>();
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> isNumber(p.getFileName().toString()))) {
			dirs.forEach(p -> pids.add(p.getFileName().toString()));
		}
		catch (IOException | RuntimeException e) {
			return List.of();
		}
		return pids;
	}

	/** The wanted container whose id the process's cgroup path names (cgroupfs /docker/ID, systemd docker-ID.scope). */
	private String containerOf(String pid, Set<String> wanted) {
		String cgroup = read(proc.resolve(pid).resolve("cgroup"));
		if (cgroup == null) {
			return null;
		}
		Matcher m = ID.matcher(cgroup);
		while (m.find()) {
			if (wanted.contains(m.group())) {
				return m.group();
			}
		}
		return null;
	}

	/** write_bytes less cancelled_write_bytes; -1 when unreadable, 0 for a process gone meanwhile. */
	private long ioWritten(String pid) {
		Path dir = proc.resolve(pid);
		String io = read(dir.resolve("io"));
		if (io == null) {
			return Files.isDirectory(dir) ? -1 : 0;
		}
		Long written = null;
		long cancelled = 0;
		for (String line : io.split("\n")) {
			String[] kv = line.split(":\\s*", 2);
			if (kv.length == 2 && kv[0].equals("write_bytes")) {
				written = parseLong(kv[1]);
			}
			else if (kv.length == 2 && kv[0].equals("cancelled_write_bytes")) {
				Long c = parseLong(kv[1]);
				cancelled = c == null ? 0 : c;
			}
		}
		return written == null ? -1 : Math.max(0, written - cancelled);
	}

	/** Per container, the paths its processes hold open for writing on their root mount. */
	private Map<String, Set<String>> openForWrite(Map<String, String> owner) {
		Map<String, Set<String>> files = new HashMap<>();
		owner.forEach((pid, id) -> {
			if (id == null) {
				return;
			}
			Set<String> paths = files.computeIfAbsent(id, k -> new TreeSet<>());
			String root = rootMountId(pid);
			if (root == null) {
				return;
			}
			Path fds = proc.resolve(pid).resolve("fd");
			int seen = 0;
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
				for (Path fd : entries) {
					if (++seen > MAX_FDS_PER_PROCESS) {
						break;
					}
					String path = writableOn(root, fd, proc.resolve(pid).resolve("fdinfo").resolve(fd.getFileName().toString()));
					if (path != null) {
						paths.add(path);
					}
				}
			}
			catch (IOException | RuntimeException e) {
				// the process exited, or its descriptors are not ours to read: nothing from it
			}
		});
		return files;
	}

	/** The descriptor's path when it is open for writing on the mount {@code root}, not deleted; else null. */
	private static String writableOn(String root, Path fd, Path fdinfo) {
		String info = read(fdinfo);
		if (info == null) {
			return null;
		}
		String flags = null;
		String mount = null;
		for (String line : info.split("\n")) {
			String[] kv = line.split(":\\s*", 2);
			if (kv.length == 2 && kv[0].equals("flags")) {
				flags = kv[1].trim();
			}
			else if (kv.length == 2 && kv[0].equals("mnt_id")) {
				mount = kv[1].trim();
			}
		}
		if (flags == null || !root.equals(mount)) {
			return null;
		}
		try {
			if ((Long.parseLong(flags, 8) & O_ACCMODE) == 0) {
				return null;
			}
			String target = Files.readSymbolicLink(fd).toString();
			return target.startsWith("/") && !target.endsWith(" (deleted)") ? target : null;
		}
		catch (IOException | RuntimeException e) {
			return null;
		}
	}

	/** The id of the mount at / in the process's mount namespace (the last one there is the one it sees). */
	private String rootMountId(String pid) {
		String mountinfo = read(proc.resolve(pid).resolve("mountinfo"));
		if (mountinfo == null) {
			return null;
		}
		String root = null;
		for (String line : mountinfo.split("\n")) {
			String[] fields = line.split(" ");
			if (fields.length > 4 && unescape(fields[4]).equals("/")) {
				root = fields[0];
			}
		}
		return root;
	}

	/** Undoes the octal escapes ({@code \040} for a space) the kernel writes in mount tables. */
	static String unescape(String field) {
		StringBuilder out = new StringBuilder(field.length());
		for (int i = 0; i < field.length(); i++) {
			char c = field.charAt(i);
			if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
				out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
				i += 3;
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	private static String read(Path file) {
		try {
			return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		}
		catch (IOException | RuntimeException e) {
			return null;
		}
	}

	private static Long parseLong(String text) {
		try {
			return Long.valueOf(text.trim());
		}
		catch (NumberFormatException e) {
			return null;
		}
	}

	private static boolean isNumber(String name) {
		return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
	}
}
