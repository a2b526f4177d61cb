package io.virtwise.docker.runline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A {@code docker run} line as a small editable model: options in a fixed, readable order, the
 * image, and the command's arguments. Rules edit it ({@link #withNetworkHost()},
 * {@link #withVolume(String)}, ...) and {@link #render()} gives a line a POSIX shell runs as is.
 * {@link #parse(String)} reads a rendered line back, so facts can carry it as plain text.
 * Environment values never enter it: {@code -e NAME=<redacted>}.
 *
 * <p>A parsed line remembers how each of its words was written (quoting included): what an edit
 * leaves alone renders exactly as it was typed, and only added options are quoted anew. That
 * spelling is not part of the model ({@link #equals}).
 */
public final class DockerRunLine {

	/** One option; {@code value} is null for a bare flag such as {@code --privileged}. */
	public record Option(String flag, String value) {

		public Option {
			Objects.requireNonNull(flag, "flag");
		}

		String render() {
			return value == null ? flag : flag + " " + ShellQuoting.quote(value);
		}
	}

	// Flags that take no value, so the parser knows where the image begins.
	private static final Set<String> BARE = Set.of("-d", "--detach", "-i", "--interactive", "-t", "--tty", "-it", "-ti",
			"--rm", "--init", "--privileged", "-P", "--publish-all", "--read-only", "--no-healthcheck", "--oom-kill-disable");
	// Clusters of bare one-letter flags such as -dit or -dP.
	private static final Pattern BARE_CLUSTER = Pattern.compile("-[ditP]+");

	// Options are kept in this order so rendered lines are stable and read naturally: who and where it
	// is, its network, its files, who it runs as, its limits, how it starts and stops, its namespaces and
	// privileges, then its own entrypoint, environment and labels.
	private static final List<Set<String>> ORDER = List.of(
			Set.of("-d", "--detach", "-i", "--interactive", "-t", "--tty", "-it", "-ti", "--rm"),
			Set.of("--name"),
			Set.of("-h", "--hostname", "--domainname"),
			Set.of("--network", "--net"),
			Set.of("--network-alias", "--net-alias", "--link"),
			Set.of("--ip", "--ip6", "--mac-address"),
			Set.of("--add-host", "--dns", "--dns-search", "--dns-option"),
			Set.of("-p", "--publish", "-P", "--publish-all", "--expose"),
			Set.of("-v", "--volume", "--mount", "--tmpfs", "--volumes-from"),
			Set.of("--read-only", "--storage-opt"),
			Set.of("-w", "--workdir"),
			Set.of("-u", "--user", "--group-add"),
			Set.of("--cpuset-cpus", "--cpuset-mems"),
			Set.of("--cpus", "--cpu-quota", "--cpu-period", "--cpu-shares"),
			Set.of("-m", "--memory", "--memory-reservation", "--memory-swap", "--memory-swappiness",
					"--oom-kill-disable", "--oom-score-adj"),
			Set.of("--shm-size"),
			Set.of("--pids-limit", "--ulimit"),
			Set.of("--blkio-weight", "--blkio-weight-device", "--device-read-bps", "--device-write-bps",
					"--device-read-iops", "--device-write-iops"),
			Set.of("--device", "--device-cgroup-rule"),
			Set.of("--cgroup-parent"),
			Set.of("--restart"),
			Set.of("--init", "--stop-signal", "--stop-timeout"),
			Set.of("--health-cmd", "--health-interval", "--health-timeout", "--health-start-period", "--health-retries",
					"--no-healthcheck"),
			Set.of("--log-driver", "--log-opt"),
			Set.of("--runtime"),
			Set.of("--ipc", "--pid", "--uts", "--userns"),
			Set.of("--privileged"),
			Set.of("--cap-drop", "--cap-add"),
			Set.of("--security-opt"),
			Set.of("--sysctl"),
			Set.of("--entrypoint"),
			Set.of("-e", "--env", "--env-file"),
			Set.of("-l", "--label", "--label-file"));

	private static final Set<String> PORT_FLAGS = Set.of("-p", "--publish", "-P", "--publish-all");
	// What host networking removes or the engine refuses with it: ports, addresses and links belong to a
	// network namespace (dockerd 20.10: --ip and --mac-address fail with --network host, -p is ignored).
	private static final Set<String> NETWORK_ONLY = Set.of("--network", "--net", "-p", "--publish", "-P",
			"--publish-all", "--ip", "--ip6", "--link", "--network-alias", "--net-alias", "--mac-address");

	public static final String USERLAND_PROXY_NOTE = "published ports go through docker-proxy; "
			+ "\"userland-proxy\": false in /etc/docker/daemon.json gives them the kernel's DNAT path";

	private final List<Option> options;
	private final String image;
	private final List<String> args;
	private final List<String> notes;
	// How the line was written, where it was parsed: the command words, each option's words (null: not
	// written, rendered anew) and the image with its arguments (null: rendered anew).
	private final String command;
	private final List<String> spelled;
	private final String rest;

	public DockerRunLine(List<Option> options, String image, List<String> args) {
		this(options, image, args, List.of(), "docker run", null, null);
	}

	private DockerRunLine(List<Option> options, String image, List<String> args, List<String> notes, String command,
			List<String> spelled, String rest) {
		this.options = List.copyOf(options);
		this.image = Objects.requireNonNull(image, "image");
		this.args = List.copyOf(args);
		this.notes = List.copyOf(notes);
		this.command = command;
		this.spelled = spelled == null ? Collections.nCopies(options.size(), null) : new ArrayList<>(spelled);
		this.rest = rest;
	}

	public List<Option> options() {
		return options;
	}

	public String image() {
		return image;
	}

	public List<String> args() {
		return args;
	}

	public List<String> notes() {
		return notes;
	}

	/** The values given to a flag, in order (empty when absent; null entries for bare flags). */
	public List<String> values(String flag) {
		return options.stream().filter(o -> o.flag().equals(flag)).map(Option::value).toList();
	}

	public boolean has(String flag) {
		return options.stream().anyMatch(o -> o.flag().equals(flag));
	}

	/** Adds an option at its place in the usual order, after any already there for the same flag. */
	public DockerRunLine withOption(String flag, String value) {
		List<Option> out = new ArrayList<>(options);
		List<String> words = new ArrayList<>(spelled);
		int rank = rank(flag);
		int at = out.size();
		for (int i = 0; i < out.size(); i++) {
			if (rank(out.get(i).flag()) > rank) {
				at = i;
				break;
			}
		}
		out.add(at, new Option(flag, value));
		words.add(at, null);
		return new DockerRunLine(out, image, args, notes, command, words, rest);
	}

	/** Drops every option with one of these flags; a cluster such as {@code -dP} loses only the letters named. */
	public DockerRunLine without(String... flags) {
		Set<String> drop = Set.of(flags);
		return without(o -> drop.contains(o.flag()));
	}

	/**
	 * Drops the options that match; a cluster of bare flags such as {@code -dP} is asked letter by
	 * letter and loses only the letters that match.
	 */
	public DockerRunLine without(Predicate<Option> drop) {
		List<Option> kept = new ArrayList<>();
		List<String> words = new ArrayList<>();
		for (int i = 0; i < options.size(); i++) {
			Option o = options.get(i);
			if (o.value() == null && o.flag().length() > 2 && BARE_CLUSTER.matcher(o.flag()).matches()) {
				StringBuilder letters = new StringBuilder("-");
				for (char letter : o.flag().substring(1).toCharArray()) {
					if (!drop.test(new Option("-" + letter, null))) {
						letters.append(letter);
					}
				}
				if (letters.length() > 1) {
					String flag = letters.toString();
					kept.add(flag.equals(o.flag()) ? o : new Option(flag, null));
					words.add(flag.equals(o.flag()) ? spelled.get(i) : null);
				}
			}
			else if (!drop.test(o)) {
				kept.add(o);
				words.add(spelled.get(i));
			}
		}
		return new DockerRunLine(kept, image, args, notes, command, words, rest);
	}

	/** Replaces any value of the flag by this one. */
	public DockerRunLine withOnly(String flag, String value) {
		return without(flag).withOption(flag, value);
	}

	/**
	 * Host networking: no bridge, no NAT; published ports mean nothing there, and addresses, links
	 * and aliases are refused with it, so they go too.
	 */
	public DockerRunLine withNetworkHost() {
		DockerRunLine host = without(o -> NETWORK_ONLY.contains(o.flag())).withOption("--network", "host")
			.withoutNotes(note -> note.startsWith(OTHER_NETWORK_NOTE));
		// net.* sysctls belong to the container's own network namespace: runc refuses them in the host's
		List<String> netSysctls = host.values("--sysctl").stream().filter(v -> v.startsWith("net.")).toList();
		if (netSysctls.isEmpty()) {
			return host;
		}
		return host.without(o -> o.flag().equals("--sysctl") && o.value() != null && o.value().startsWith("net."))
			.withNote("dropped --sysctl " + String.join(" --sysctl ", netSysctls)
					+ ": network sysctls are refused in the host's network namespace; set them on the host if still wanted");
	}

	/** How the rebuilt line notes another network the container is on; host networking leaves them all. */
	public static final String OTHER_NETWORK_NOTE = "also on network ";
	public static final String GPUS_NOTE = "its device requests (--gpus) are not in this line";
	public static final String HEALTH_CHECK_NOTE = "its health check runs ";
	/** How the rebuilt line notes an environment or labels that no --env-file or --label-file can carry. */
	public static final String KEY_VALUE_FILE_NOTE = "an --env-file or --label-file cannot carry ";

	/**
	 * Whether a note is the rebuilder's word on what the line cannot say about the container (other
	 * networks, GPUs, an exec-form health check): an edited line keeps those, and drops other comments.
	 */
	public static boolean describesTheContainer(String note) {
		return note.startsWith(OTHER_NETWORK_NOTE) || note.startsWith(GPUS_NOTE) || note.startsWith(HEALTH_CHECK_NOTE)
				|| note.startsWith(KEY_VALUE_FILE_NOTE);
	}

	public DockerRunLine withoutPublishedPorts() {
		return without(o -> PORT_FLAGS.contains(o.flag()));
	}

	/**
	 * Adds {@code -v SPEC} ({@code NAME:/path[:opts]} or {@code /host:/path[:opts]}), replacing
	 * whatever was mounted at the same destination before.
	 */
	public DockerRunLine withVolume(String spec) {
		String destination = volumeDestination(spec);
		return without(o -> destination != null && destination.equals(mountDestination(o))).withOption("-v", spec);
	}

	public DockerRunLine withCpusetCpus(String cpus) {
		return withOnly("--cpuset-cpus", cpus);
	}

	/** A note shown as a trailing shell comment, for what the line itself cannot say. */
	public DockerRunLine withNote(String note) {
		List<String> more = new ArrayList<>(notes);
		// One line, and " # " separates notes when the line is read back.
		more.add(note.replaceAll("[\\r\\n]+", " ").replace(" # ", " - "));
		return new DockerRunLine(options, image, args, more, command, spelled, rest);
	}

	/** The line without its trailing comment, as when an edited line replaces the old one. */
	public DockerRunLine withoutNotes() {
		return new DockerRunLine(options, image, args, List.of(), command, spelled, rest);
	}

	/** The line without the notes that match, the others kept. */
	public DockerRunLine withoutNotes(Predicate<String> drop) {
		return new DockerRunLine(options, image, args, notes.stream().filter(drop.negate()).toList(), command, spelled, rest);
	}

	public DockerRunLine withUserlandProxyNote() {
		return notes.contains(USERLAND_PROXY_NOTE) ? this : withNote(USERLAND_PROXY_NOTE);
	}

	/**
	 * The same container created and not started ({@code docker create}): it can be given its data and
	 * its other networks before it first runs. {@code -d} has no meaning there and goes.
	 */
	public DockerRunLine asCreate() {
		DockerRunLine created = without("-d", "--detach");
		return new DockerRunLine(created.options, image, args, notes, "docker create", created.spelled, rest);
	}

	/** Whether the line creates the container without starting it ({@code docker create}). */
	public boolean creates() {
		return command.endsWith(" create");
	}

	/**
	 * Adds {@code FLAG <(COMMAND)}: bash's process substitution, so the option reads a file that the
	 * command prints, which never lands on disk (an environment read from another container).
	 */
	public DockerRunLine withProcessSubstitution(String flag, String shellCommand) {
		String value = "<(" + shellCommand + ")";
		DockerRunLine added = withOption(flag, value);
		List<String> words = new ArrayList<>(added.spelled);
		words.set(added.options.lastIndexOf(new Option(flag, value)), flag + " " + value);
		return new DockerRunLine(added.options, image, args, notes, command, words, rest);
	}

	/** The line with one option (the first equal to it) replaced by another in the same place. */
	public DockerRunLine replacing(Option old, String flag, String value) {
		int at = options.indexOf(old);
		if (at < 0) {
			throw new IllegalArgumentException("no option " + old.render() + " in: " + render());
		}
		List<Option> out = new ArrayList<>(options);
		List<String> words = new ArrayList<>(spelled);
		out.set(at, new Option(flag, value));
		words.set(at, null);
		return new DockerRunLine(out, image, args, notes, command, words, rest);
	}

	/**
	 * One mount the line asks for: {@code type} is volume, bind or tmpfs; {@code source} is the
	 * volume's name (null for an anonymous one, which the engine names itself) or the host path of a bind.
	 */
	public record Mount(Option option, String type, String source, String destination, boolean readOnly) {
	}

	/** Every mount of {@code -v}, {@code --mount} and {@code --tmpfs}, in order; --volumes-from is not read. */
	public List<Mount> mounts() {
		List<Mount> out = new ArrayList<>();
		for (Option o : options) {
			Mount m = o.value() == null ? null : switch (o.flag()) {
				case "-v", "--volume" -> volumeMount(o);
				case "--mount" -> mountOption(o);
				case "--tmpfs" -> {
					String[] parts = o.value().split(":", 2);
					yield new Mount(o, "tmpfs", null, parts[0], parts.length > 1 && List.of(parts[1].split(",")).contains("ro"));
				}
				default -> null;
			};
			if (m != null) {
				out.add(m);
			}
		}
		return out;
	}

	/** {@code -v [SOURCE:]DESTINATION[:OPTIONS]}: a source starting with / or . is a host path, else a volume's name. */
	private static Mount volumeMount(Option o) {
		String[] parts = o.value().split(":");
		if (parts.length == 1) {
			return new Mount(o, "volume", null, parts[0], false);
		}
		String source = parts[0];
		boolean bind = source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
		boolean readOnly = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
		return new Mount(o, bind ? "bind" : "volume", source, parts[1], readOnly);
	}

	/** {@code --mount type=...,source=...,destination=...[,readonly]}, read as the CLI's CSV. */
	private static Mount mountOption(Option o) {
		String type = "volume";
		String source = null;
		String destination = null;
		boolean readOnly = false;
		for (String field : csv(o.value())) {
			int eq = field.indexOf('=');
			String key = (eq < 0 ? field : field.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
			String value = eq < 0 ? null : field.substring(eq + 1);
			switch (key) {
				case "type" -> type = value;
				case "source", "src" -> source = value == null || value.isEmpty() ? null : value;
				case "destination", "dst", "target" -> destination = value;
				case "readonly", "ro" -> readOnly = value == null || value.equals("1") || value.equalsIgnoreCase("true");
				default -> {
				}
			}
		}
		return new Mount(o, type, source, destination, readOnly);
	}

	/** Comma-separated fields where a double-quoted stretch may hold commas (the CLI reads --mount as CSV). */
	private static List<String> csv(String text) {
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		for (char c : text.toCharArray()) {
			if (c == '"') {
				quoted = !quoted;
			}
			else if (c == ',' && !quoted) {
				fields.add(field.toString());
				field.setLength(0);
			}
			else {
				field.append(c);
			}
		}
		fields.add(field.toString());
		return fields;
	}

	public String render() {
		StringBuilder out = new StringBuilder(command);
		for (int i = 0; i < options.size(); i++) {
			out.append(' ').append(spelled.get(i) != null ? spelled.get(i) : options.get(i).render());
		}
		if (rest != null) {
			out.append(' ').append(rest);
		}
		else {
			out.append(' ').append(ShellQuoting.quote(image));
			for (String arg : args) {
				out.append(' ').append(ShellQuoting.quote(arg));
			}
		}
		if (!notes.isEmpty()) {
			out.append("  # ").append(String.join(" # ", notes));
		}
		return out.toString();
	}

	@Override
	public String toString() {
		return render();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof DockerRunLine o && options.equals(o.options) && image.equals(o.image)
				&& args.equals(o.args) && notes.equals(o.notes);
	}

	@Override
	public int hashCode() {
		return Objects.hash(options, image, args, notes);
	}

	/**
	 * Reads a {@code docker run ...} line (as {@link #render()} writes it, or typed by hand) back
	 * into the model, remembering how each word was written. {@code docker container run} is a run
	 * line too, and so is {@code docker [container] create}, which takes the same options; {@code --flag=value} and {@code -f=value} are one option; flags not known to be bare
	 * (alone or in a cluster such as {@code -dit}) take the next word as their value.
	 *
	 * @throws IllegalArgumentException when the line is not a docker run line or cannot be read
	 */
	public static DockerRunLine parse(String line) {
		ShellQuoting.Words words = ShellQuoting.split(line == null ? "" : line);
		List<String> w = words.words();
		List<String> raw = words.raw();
		int i = w.size() > 1 && w.get(0).equals("docker") && w.get(1).equals("container") ? 2 : 1;
		if (w.size() <= i || !w.get(0).equals("docker") || !(w.get(i).equals("run") || w.get(i).equals("create"))) {
			throw new IllegalArgumentException("not a docker run line: " + line);
		}
		String command = String.join(" ", raw.subList(0, ++i));
		List<Option> options = new ArrayList<>();
		List<String> spelled = new ArrayList<>();
		while (i < w.size() && w.get(i).startsWith("-")) {
			String word = w.get(i);
			String written = raw.get(i++);
			if (word.equals("--")) {
				break;
			}
			int eq = word.indexOf('=');
			if ((word.startsWith("--") && eq > 0) || (eq == 2 && !word.startsWith("--"))) {
				options.add(new Option(word.substring(0, eq), word.substring(eq + 1)));
			}
			else if (BARE.contains(word) || BARE_CLUSTER.matcher(word).matches()) {
				options.add(new Option(word, null));
			}
			else if (i < w.size()) {
				options.add(new Option(word, w.get(i)));
				written += " " + raw.get(i++);
			}
			else {
				throw new IllegalArgumentException("option " + word + " has no value in: " + line);
			}
			spelled.add(written);
		}
		if (i >= w.size()) {
			throw new IllegalArgumentException("no image in: " + line);
		}
		String rest = String.join(" ", raw.subList(i, raw.size()));
		String image = w.get(i++);
		return new DockerRunLine(options, image, w.subList(i, w.size()), words.comment() == null ? List.of()
				: List.of(words.comment().split(" # ")), command, spelled, rest);
	}

	private static int rank(String flag) {
		for (int i = 0; i < ORDER.size(); i++) {
			if (ORDER.get(i).contains(flag)) {
				return i;
			}
		}
		// a cluster of bare flags such as -dit goes with -d
		return BARE_CLUSTER.matcher(flag).matches() ? 0 : ORDER.size();
	}

	/** The container path of {@code -v SRC:DST[:opts]} or {@code -v DST}. */
	public static String volumeDestination(String spec) {
		String[] parts = spec.split(":");
		return parts.length == 1 ? parts[0] : parts[1];
	}

	private static String mountDestination(Option option) {
		if (option.value() == null) {
			return null;
		}
		return switch (option.flag()) {
			case "-v", "--volume" -> volumeDestination(option.value());
			case "--tmpfs" -> option.value().split(":")[0];
			case "--mount" -> mountField(option.value(), Set.of("destination", "dst", "target"));
			default -> null;
		};
	}

	private static String mountField(String mount, Set<String> keys) {
		for (String part : mount.split(",")) {
			int eq = part.indexOf('=');
			if (eq > 0 && keys.contains(part.substring(0, eq))) {
				return part.substring(eq + 1);
			}
		}
		return null;
	}

	/** Docker's own spelling of a byte count: 256m rather than 268435456. */
	public static String bytes(long bytes) {
		for (Map.Entry<String, Long> unit : List.of(Map.entry("g", 1L << 30), Map.entry("m", 1L << 20),
				Map.entry("k", 1L << 10))) {
			if (bytes >= unit.getValue() && bytes % unit.getValue() == 0) {
				return bytes / unit.getValue() + unit.getKey();
			}
		}
		return Long.toString(bytes);
	}
}
