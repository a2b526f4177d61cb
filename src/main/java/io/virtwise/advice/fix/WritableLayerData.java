package io.virtwise.advice.fix;

import io.virtwise.advice.Figures;
import io.virtwise.advice.Recommendation;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.virtwise.facts.ContainerFacts;

/**
 * Data a container keeps in its writable layer: found by the layer's size, or by what it writes now
 * (files held open for writing in the layer, and its processes' write rate over a live window), and
 * which directory holds it, so a fix can move that directory to a volume. Static for DRL.
 */
public final class WritableLayerData {

	/** 100 MiB in the layer marks a container that keeps data in the union filesystem. */
	public static final long SIZE_THRESHOLD = 100L << 20;

	/**
	 * Writes at this rate would put {@link #SIZE_THRESHOLD} into the layer within a day (100 MiB /
	 * 86,400 s, about 1.2 KiB/s): a writer found now rather than once its layer has grown.
	 */
	public static final double RATE_THRESHOLD = SIZE_THRESHOLD / 86_400.0;

	// Scratch space, not data: a volume for it is not the fix.
	private static final List<String> TEMPORARY = List.of("/tmp/", "/var/tmp/", "/run/", "/var/run/", "/dev/shm/");

	// The system's own tree: a data directory is the topmost directory below these.
	private static final Set<String> SYSTEM = Set.of("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64",
			"/libx32", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/usr/lib",
			"/usr/local", "/usr/local/lib", "/usr/local/share", "/usr/share", "/var", "/var/cache", "/var/lib", "/var/log",
			"/var/opt", "/var/spool", "/var/www");

	// Of those, the ones that must never become a volume: the system itself would move with them.
	private static final Set<String> NEVER = Set.of("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64",
			"/libx32", "/opt", "/proc", "/run", "/sbin", "/sys", "/tmp", "/usr", "/usr/lib", "/usr/local", "/usr/local/lib",
			"/usr/local/share", "/usr/share", "/var", "/var/lib");

	private WritableLayerData() {
	}

	/** Whether the rule fires: a large layer, measured writes into it, or a data directory its own command line puts there. */
	public static boolean fires(ContainerFacts c) {
		return large(c) || writing(c) || commandLineDirectory(c) != null;
	}

	// Options that name where a program keeps its data: --datadir (MySQL, MariaDB), --dbpath (MongoDB), --dir
	// (Redis), --data-dir (etcd, Consul), --storage.tsdb.path (Prometheus) and the like.
	private static final java.util.regex.Pattern DATA_OPTION = java.util.regex.Pattern.compile(
			"--?([a-z0-9._-]*(data|dir|dbpath)[a-z0-9._-]*|[a-z0-9._-]+\\.path)", java.util.regex.Pattern.CASE_INSENSITIVE);

	// Directories that are read, or scratch, rather than the program's data: installation, configuration, plugins,
	// sockets, certificates, logs (MySQL's --basedir and --plugin-dir, --config-dir, --socket-dir...).
	private static final java.util.regex.Pattern NOT_DATA = java.util.regex.Pattern.compile(
			"base|conf|plugin|include|tmp|temp|socket|pid|run|lib|bin|share|cert|key|ssl|secure|log", java.util.regex.Pattern.CASE_INSENSITIVE);

	/**
	 * A data directory the container's own arguments name ({@code --datadir=/srv/db}) that no mount
	 * holds, so it is in the writable layer whatever the layer's size; null when there is none.
	 */
	public static String commandLineDirectory(ContainerFacts c) {
		if (c.runCommand() == null || c.mounts() == null) {
			return null;
		}
		List<String> args;
		try {
			args = io.virtwise.docker.runline.DockerRunLine.parse(c.runCommand()).args();
		}
		catch (IllegalArgumentException e) {
			return null;
		}
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			int eq = arg.indexOf('=');
			String option = eq > 0 ? arg.substring(0, eq) : arg;
			String value = eq > 0 ? arg.substring(eq + 1) : i + 1 < args.size() ? args.get(i + 1) : null;
			if (value == null || !value.startsWith("/") || !DATA_OPTION.matcher(option).matches() || NOT_DATA.matcher(option).find()) {
				continue;
			}
			String dir = value.endsWith("/") && value.length() > 1 ? value.substring(0, value.length() - 1) : value;
			boolean mounted = c.mounts().stream().anyMatch(m -> m.destination() != null
					&& (dir.equals(m.destination()) || dir.startsWith(m.destination().endsWith("/") ? m.destination() : m.destination() + "/")));
			if (!mounted && !NEVER.contains(dir) && TEMPORARY.stream().noneMatch((dir + "/")::startsWith)) {
				return dir;
			}
		}
		return null;
	}

	public static boolean large(ContainerFacts c) {
		return c.writableLayerBytes() != null && c.writableLayerBytes() >= SIZE_THRESHOLD;
	}

	/** Files of data held open for writing in the layer while its processes wrote at {@link #RATE_THRESHOLD} or more. */
	public static boolean writing(ContainerFacts c) {
		return c.writeBytesPerSecond() != null && c.writeBytesPerSecond() >= RATE_THRESHOLD && directory(c) != null;
	}

	/** The layer's files held open for writing, scratch space left out. */
	public static List<String> dataFiles(ContainerFacts c) {
		if (c.layerFilesOpenForWrite() == null) {
			return List.of();
		}
		return c.layerFilesOpenForWrite().stream().filter(f -> f.startsWith("/") && TEMPORARY.stream().noneMatch(f::startsWith))
			.toList();
	}

	/**
	 * The directory holding the data it writes: for each file held open for writing, its topmost
	 * directory below the system's own tree ({@code /var/lib/mysql/db/t.ibd} gives
	 * {@code /var/lib/mysql}, {@code /data/db/x} gives {@code /data}); the one holding most files
	 * (ties: the first by name). Null when no file names one.
	 */
	public static String directory(ContainerFacts c) {
		Map<String, Integer> counts = groups(c);
		if (counts.isEmpty()) {
			return commandLineDirectory(c);
		}
		String best = null;
		for (Map.Entry<String, Integer> e : counts.entrySet()) {
			if (best == null || e.getValue() > counts.get(best)) {
				best = e.getKey();
			}
		}
		return best;
	}

	/** The other directories it holds files open in, which a move of {@link #directory} leaves in the layer. */
	public static List<String> otherDirectories(ContainerFacts c) {
		String main = directory(c);
		return groups(c).keySet().stream().filter(d -> !d.equals(main)).toList();
	}

	private static Map<String, Integer> groups(ContainerFacts c) {
		Map<String, Integer> counts = new TreeMap<>();
		for (String file : dataFiles(c)) {
			String dir = topmostBelowSystem(file);
			if (dir != null) {
				counts.merge(dir, 1, Integer::sum);
			}
		}
		return counts;
	}

	static String topmostBelowSystem(String file) {
		String dir = parent(file);
		while (!SYSTEM.contains(dir) && !SYSTEM.contains(parent(dir))) {
			dir = parent(dir);
		}
		return NEVER.contains(dir) ? null : dir;
	}

	private static String parent(String path) {
		int slash = path.lastIndexOf('/');
		return slash <= 0 ? "/" : path.substring(0, slash);
	}

	/** What the rule cites: the layer's size and the live reading, each when known. */
	public static Recommendation.Builder evidence(Recommendation.Builder b, ContainerFacts c) {
		String at = "containers[" + c.name() + "].";
		if (c.writableLayerBytes() != null) {
			b.evidence(at + "writableLayerBytes", c.writableLayerBytes());
		}
		if (c.writeBytesPerSecond() != null) {
			b.evidence(at + "writeBytesPerSecond", Figures.binary(Math.round(c.writeBytesPerSecond())) + "/s");
		}
		String named = commandLineDirectory(c);
		if (named != null) {
			b.evidence(at + "dataDirectoryOnCommandLine", named + " (no mount holds it)");
		}
		List<String> files = dataFiles(c);
		if (!files.isEmpty()) {
			b.evidence(at + "layerFilesOpenForWrite", String.join(", ", files.subList(0, Math.min(5, files.size())))
					+ (files.size() > 5 ? " and " + (files.size() - 5) + " more" : ""));
		}
		return b;
	}

	/**
	 * The fix: where the layer's bytes are, then the container re-created with its data directory on
	 * a new named volume ({@code NAME-data}); without a known directory, the reason no re-create is printed.
	 */
	public static Recommendation.Builder moveToVolume(Recommendation.Builder b, ContainerFacts c, Collection<?> containers) {
		b.fix(DockerRunEdits.writableLayerUsage(c));
		String dir = directory(c);
		if (dir == null) {
			return b.fix(ContainerRecreate.REFUSED + "which directory holds its data is not known: virtwise names it from the "
					+ "files the container holds open for writing, read live on its own host while it runs; the du line shows "
					+ "where its bytes are");
		}
		List<String> others = otherDirectories(c);
		b.fix("# " + dir + (groups(c).isEmpty() ? ", the data directory its command line names," : " holds the files it keeps open for writing")
				+ " in its writable layer: it moves to the volume " + c.name()
				+ "-data" + (others.isEmpty() ? "" : "; also open for writing, and left in the layer: " + String.join(", ", others)));
		return ContainerRecreate.withDataVolume(c, containers, c.name() + "-data", dir).addTo(b);
	}
}
