package io.virtwise.probe.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identifies one probe run. Everything the run creates carries the label
 * {@code io.virtwise.probe=<run-id>}; the id encodes when the run started and the pid of the
 * process that ran it ({@code <epoch-seconds base 36>-<pid>}), so the next run can tell a killed
 * run's leftovers from a run that is still going on.
 */
public record RunId(String value, Instant started, long pid) {

	/** The label every container, volume and image of a probe run carries. */
	public static final String LABEL = "io.virtwise.probe";

	/** The machine the run started on: only there can its pid be checked. */
	public static final String HOST_LABEL = "io.virtwise.probe.host";

	/** A run is bounded to minutes; anything labelled older than this is a leftover whatever its pid. */
	static final Duration OLDEST_LIVE_RUN = Duration.ofMinutes(15);

	private static final Pattern FORMAT = Pattern.compile("([0-9a-z]{1,12})-(\\d{1,10})");

	/**
	 * Runs of this process that have not finished: a shell lives on after a run that failed
	 * (its engine stopped, say), and the next run in the same process must be able to tell that
	 * finished run's leftovers from a run still going on in another thread.
	 */
	private static final Set<String> UNFINISHED = ConcurrentHashMap.newKeySet();

	private static final AtomicLong LAST_SECOND = new AtomicLong();

	public static RunId create() {
		long pid = ProcessHandle.current().pid();
		// two runs of one process within a second still get distinct ids
		long second = LAST_SECOND.updateAndGet(last -> Math.max(last + 1, Instant.now().getEpochSecond()));
		RunId id = new RunId(Long.toString(second, 36) + "-" + pid, Instant.ofEpochSecond(second), pid);
		UNFINISHED.add(id.value());
		return id;
	}

	/** The run has ended and removed what it could: whatever is left of it is a leftover now. */
	public void finished() {
		UNFINISHED.remove(value);
	}

	public static Optional<RunId> parse(String value) {
		Matcher m = value == null ? null : FORMAT.matcher(value);
		if (m == null || !m.matches()) {
			return Optional.empty();
		}
		return Optional.of(new RunId(value, Instant.ofEpochSecond(Long.parseLong(m.group(1), 36)), Long.parseLong(m.group(2))));
	}

	public Map<String, String> labels() {
		return Map.of(LABEL, value, HOST_LABEL, hostname());
	}

	/**
	 * Whether something labelled with {@code labelValue} (from {@code labelHost}) is a leftover
	 * of a dead run that this run may remove: not this run; and either unreadable, older than any
	 * run lasts, or from this machine with its process gone.
	 */
	public boolean isLeftover(String labelValue, String labelHost, Instant now) {
		if (value.equals(labelValue)) {
			return false;
		}
		Optional<RunId> other = parse(labelValue);
		if (other.isEmpty() || Duration.between(other.get().started(), now).compareTo(OLDEST_LIVE_RUN) > 0) {
			return true;
		}
		if (labelHost != null && !labelHost.equals(hostname())) {
			return false; // another machine's run on a shared engine: only age tells
		}
		if (other.get().pid() == pid) {
			return !UNFINISHED.contains(labelValue);
		}
		return !alive(other.get());
	}

	/**
	 * {@link #isLeftover} for a thing known by its name alone (a domain, a directory): only a name
	 * whose suffix is a run id is virtwise's; a user's {@code vwprobe-db} is someone else's.
	 */
	public boolean isLeftoverByName(String suffix, String host, Instant now) {
		return parse(suffix).isPresent() && isLeftover(suffix, host, now);
	}

	/** The run's process still exists and started no later than the run did (pids are reused). */
	static boolean alive(RunId run) {
		return ProcessHandle.of(run.pid())
			.flatMap(p -> p.info().startInstant())
			.map(start -> !start.isAfter(run.started().plusSeconds(1)))
			.orElse(false);
	}

	public static String hostname() {
		try {
			return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
		}
		catch (IOException e) {
			String env = System.getenv("HOSTNAME");
			return env == null ? "unknown" : env;
		}
	}
}
