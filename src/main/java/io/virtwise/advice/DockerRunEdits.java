package io.virtwise.advice;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.PortBinding;

/**
 * Docker fixes as commands: a container's own {@code docker run} line ({@link ContainerFacts#runCommand()})
 * with one change applied, and the {@code docker update} and {@code docker rm} lines around it.
 * Static so DRL consequences can call it.
 *
 * <p>Edits keep every word of the original line as it was written (quoting included) and only
 * drop or add options; added options go where the rebuilt lines put them (after {@code --name},
 * networks before ports before mounts before limits). A line that cannot be read, or a missing
 * one, gives a generic line with the container's name and image, marked as such.
 */
public final class DockerRunEdits {

	static final String REDACTED = "<redacted>";

	// Flags that take no value (and clusters of them such as -dit), so the reader knows where the image begins.
	private static final Set<String> BARE = Set.of("--detach", "--interactive", "--tty", "--rm", "--init",
			"--privileged", "--publish-all", "--read-only", "--no-healthcheck", "--oom-kill-disable");
	private static final Pattern BARE_CLUSTER = Pattern.compile("-[ditP]+");

	// The order rebuilt lines use, so an added option lands where a reader expects it.
	private static final List<Set<String>> ORDER = List.of(
			Set.of("-d", "--detach", "-i", "--interactive", "-t", "--tty", "--rm"),
			Set.of("--name"),
			Set.of("--network", "--net"),
			Set.of("-p", "--publish", "-P", "--publish-all"),
			Set.of("-v", "--volume", "--mount", "--tmpfs"),
			Set.of("--cpuset-cpus"),
			Set.of("--cpus", "--cpu-quota", "--cpu-period"),
			Set.of("-m", "--memory"),
			Set.of("--restart"));

	// What host networking removes or refuses: ports, addresses and links belong to a network namespace.
	private static final Set<String> NETWORK_ONLY = Set.of("--network", "--net", "-p", "--publish", "-P",
			"--publish-all", "--ip", "--ip6", "--link", "--network-alias", "--net-alias", "--mac-address");

	// Plain words no POSIX shell treats specially (the same set the run-line rebuilder leaves unquoted).
	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

	private DockerRunEdits() {
	}

	// --- for rules: a container in, a command line out ---

	/** The container's run line on the host network: no {@code --network}, no {@code -p}/{@code -P}, no addresses. */
	public static String withNetworkHost(ContainerFacts c) {
		RunLine line = RunLine.parse(c.runCommand());
		if (line == null) {
			return generic(c, "--network host", "keep its other options, drop every -p");
		}
		return networkHost(line).render(listensNote(c));
	}

	/** The container's run line with {@code -v SPEC} added, replacing whatever was mounted at the same path. */
	public static String withVolume(ContainerFacts c, String spec) {
		String edited = withVolume(c.runCommand(), spec);
		return edited != null ? edited : generic(c, "-v " + quote(spec), "keep its other options");
	}

	/**
	 * The container's run line with these limits in place of any it had. A null argument leaves
	 * that limit as it was.
	 */
	public static String withLimits(ContainerFacts c, String cpusetCpus, Double cpus, Long memoryBytes) {
		String edited = withLimits(c.runCommand(), cpusetCpus, cpus, memoryBytes);
		return edited != null ? edited : generic(c, limitOptions(cpusetCpus, cpus, memoryBytes), "keep its other options");
	}

	/**
	 * {@code docker update} with these limits: it changes the running container in place, no restart.
	 * A memory limit comes with {@code --memory-swap} at twice its size, what {@code docker run --memory}
	 * gives: the engine refuses a first {@code --memory} on a running container without it.
	 */
	public static String update(ContainerFacts c, String cpusetCpus, Double cpus, Long memoryBytes) {
		String swap = memoryBytes == null ? "" : " --memory-swap " + dockerBytes(2 * memoryBytes);
		return "docker update " + limitOptions(cpusetCpus, cpus, memoryBytes) + swap + " " + name(c);
	}

	/**
	 * {@code docker rm -f NAME} with why it is removed and, when its writable layer holds data, that
	 * the data goes with it.
	 */
	public static String remove(ContainerFacts c, String why) {
		List<String> notes = new ArrayList<>();
		if (why != null) {
			notes.add(why);
		}
		Long written = c.writableLayerBytes();
		if (written != null && written > 0) {
			notes.add("its writable layer (" + Figures.binary(written) + ") is deleted with it");
		}
		return "docker rm -f " + name(c) + (notes.isEmpty() ? "" : "   # " + String.join("; ", notes));
	}

	/** Where the writable layer's bytes are: its largest directories, read from overlay2's upper directory. */
	public static String writableLayerUsage(ContainerFacts c) {
		String size = c.writableLayerBytes() == null ? "" : " " + Figures.binary(c.writableLayerBytes());
		return "du -xh --max-depth=3 \"$(docker inspect -f '{{.GraphDriver.Data.UpperDir}}' " + name(c)
				+ ")\" | sort -h | tail   # the directories holding its" + size + " (overlay2)";
	}

	/**
	 * Stops the container and copies a directory of it into a named volume, through a throwaway
	 * container of its own image (which needs tar).
	 */
	public static String copyToVolume(ContainerFacts c, String volume, String directory) {
		String image = c.image() != null ? quote(c.image()) : "<image>";
		return "docker stop " + name(c) + " && docker cp " + name(c) + ":" + directory + "/. - | docker run --rm -i -v "
				+ volume + ":/to --entrypoint tar " + image + " -x -C /to   # copies " + directory
				+ " into the volume (the image needs tar)";
	}

	/** The container's published ports as {@code -p} would write them, with the path traffic from this host takes. */
	public static String publishedPorts(ContainerFacts c) {
		if (c.ports() == null) {
			return "unknown";
		}
		List<String> specs = c.ports().stream().filter(p -> p.hostPort() != null).map(DockerRunEdits::publishSpec).toList();
		return specs.isEmpty() ? "none" : String.join(", ", specs);
	}

	// --- the same edits on a plain line; null when the line is missing or not a docker run line ---

	public static String withNetworkHost(String runCommand) {
		RunLine line = RunLine.parse(runCommand);
		return line == null ? null : networkHost(line).render(null);
	}

	public static String withVolume(String runCommand, String spec) {
		RunLine line = RunLine.parse(runCommand);
		if (line == null) {
			return null;
		}
		String destination = volumeDestination(spec);
		return line.without(o -> destination.equals(o.mountDestination())).with("-v", spec).render(null);
	}

	public static String withLimits(String runCommand, String cpusetCpus, Double cpus, Long memoryBytes) {
		RunLine line = RunLine.parse(runCommand);
		if (line == null) {
			return null;
		}
		if (cpusetCpus != null) {
			line = line.without(o -> o.flag().equals("--cpuset-cpus")).with("--cpuset-cpus", cpusetCpus);
		}
		if (cpus != null) {
			line = line.without(o -> Set.of("--cpus", "--cpu-quota", "--cpu-period").contains(o.flag()))
				.with("--cpus", Figures.number(cpus));
		}
		if (memoryBytes != null) {
			line = line.without(o -> Set.of("-m", "--memory").contains(o.flag())).with("--memory", dockerBytes(memoryBytes));
		}
		return line.render(null);
	}

	private static RunLine networkHost(RunLine line) {
		return line.without(o -> NETWORK_ONLY.contains(o.flag())).with("--network", "host");
	}

	// --- spelling ---

	/** Docker's own spelling of a byte count: {@code 4g}, {@code 4608m}, else bytes. */
	public static String dockerBytes(long bytes) {
		if (bytes > 0 && bytes % (1L << 30) == 0) {
			return bytes / (1L << 30) + "g";
		}
		if (bytes > 0 && bytes % (1L << 20) == 0) {
			return bytes / (1L << 20) + "m";
		}
		return Long.toString(bytes);
	}

	static String quote(String word) {
		if (SAFE.matcher(word).matches()) {
			return word;
		}
		return "'" + word.replace("'", "'\\''") + "'";
	}

	/** The container path of {@code -v SRC:DST[:opts]}, or of {@code -v DST} (an anonymous volume). */
	static String volumeDestination(String spec) {
		String[] parts = spec.split(":");
		return parts.length == 1 ? parts[0] : parts[1];
	}

	private static String limitOptions(String cpusetCpus, Double cpus, Long memoryBytes) {
		List<String> options = new ArrayList<>();
		if (cpusetCpus != null) {
			options.add("--cpuset-cpus " + cpusetCpus);
		}
		if (cpus != null) {
			options.add("--cpus " + Figures.number(cpus));
		}
		if (memoryBytes != null) {
			options.add("--memory " + dockerBytes(memoryBytes));
		}
		return String.join(" ", options);
	}

	private static String name(ContainerFacts c) {
		return c.name() != null ? c.name() : c.id() != null ? c.id() : "<container>";
	}

	private static String generic(ContainerFacts c, String change, String what) {
		return "docker run -d --name " + name(c) + " " + change + " <its other options> "
				+ (c.image() != null ? quote(c.image()) : "<image>") + "   # its own run line is unknown: " + what;
	}

	private static String publishSpec(PortBinding p) {
		String host = p.hostIp() == null || p.hostIp().isEmpty() ? "" : p.hostIp() + ":";
		String container = p.containerPort() + (p.protocol() == null || p.protocol().equals("tcp") ? "" : "/" + p.protocol());
		return host + p.hostPort() + ":" + container + (p.path() == null ? "" : " (" + p.path() + ")");
	}

	/** With host networking the service answers on its own ports, on every address unless it binds to one. */
	private static String listensNote(ContainerFacts c) {
		if (c.ports() == null) {
			return null;
		}
		List<PortBinding> published = c.ports().stream().filter(p -> p.hostPort() != null).toList();
		if (published.isEmpty()) {
			return null;
		}
		String own = published.stream()
			.map(p -> p.containerPort() + "/" + (p.protocol() == null ? "tcp" : p.protocol()))
			.distinct()
			.collect(Collectors.joining(", "));
		String was = published.stream().map(p -> publishSpec(new PortBinding(p.containerPort(), p.protocol(), p.hostIp(),
				p.hostPort(), null))).collect(Collectors.joining(", "));
		return "now listens on the host's own " + own + " (was -p " + was + ")";
	}

	// --- reading and writing a run line, word by word ---

	/** One option as written: its flag and the words that spell it (one or two). */
	private record Option(String flag, String value, List<String> words) {

		String mountDestination() {
			if (value == null) {
				return null;
			}
			return switch (flag) {
				case "-v", "--volume" -> volumeDestination(value);
				case "--tmpfs" -> value.split(":")[0];
				case "--mount" -> mountTarget(value);
				default -> null;
			};
		}

		private static String mountTarget(String mount) {
			for (String part : mount.split(",")) {
				int eq = part.indexOf('=');
				if (eq > 0 && Set.of("destination", "dst", "target").contains(part.substring(0, eq))) {
					return part.substring(eq + 1);
				}
			}
			return null;
		}
	}

	private record RunLine(List<String> command, List<Option> options, List<String> rest) {

		static RunLine parse(String line) {
			if (line == null) {
				return null;
			}
			List<Word> words = Word.split(line);
			if (words == null) {
				return null;
			}
			int i = 0;
			List<String> command = new ArrayList<>();
			if (words.size() > i && words.get(i).value().equals("docker")) {
				command.add(words.get(i++).raw());
			}
			if (words.size() > i && words.get(i).value().equals("container")) {
				command.add(words.get(i++).raw());
			}
			if (command.isEmpty() || words.size() <= i || !words.get(i).value().equals("run")) {
				return null;
			}
			command.add(words.get(i++).raw());
			List<Option> options = new ArrayList<>();
			while (i < words.size() && words.get(i).value().startsWith("-")) {
				Word word = words.get(i++);
				String text = word.value();
				if (text.equals("--")) {
					break;
				}
				int eq = text.indexOf('=');
				if ((text.startsWith("--") && eq > 0) || (eq == 2 && !text.startsWith("--"))) {
					options.add(new Option(text.substring(0, eq), text.substring(eq + 1), List.of(word.raw())));
				}
				else if (BARE.contains(text) || BARE_CLUSTER.matcher(text).matches()) {
					options.add(new Option(text, null, List.of(word.raw())));
				}
				else if (i < words.size()) {
					Word value = words.get(i++);
					options.add(new Option(text, value.value(), List.of(word.raw(), value.raw())));
				}
				else {
					return null;
				}
			}
			if (i >= words.size()) {
				return null;
			}
			return new RunLine(command, options, words.subList(i, words.size()).stream().map(Word::raw).toList());
		}

		/** Drops matching options; a cluster such as {@code -dP} loses only the letters that match. */
		RunLine without(Predicate<Option> drop) {
			List<Option> kept = new ArrayList<>();
			for (Option o : options) {
				if (o.value() == null && BARE_CLUSTER.matcher(o.flag()).matches() && o.flag().length() > 2) {
					StringBuilder letters = new StringBuilder("-");
					for (char letter : o.flag().substring(1).toCharArray()) {
						String single = "-" + letter;
						if (!drop.test(new Option(single, null, List.of(single)))) {
							letters.append(letter);
						}
					}
					if (letters.length() > 1) {
						String flag = letters.toString();
						kept.add(flag.equals(o.flag()) ? o : new Option(flag, null, List.of(flag)));
					}
				}
				else if (!drop.test(o)) {
					kept.add(o);
				}
			}
			return new RunLine(command, kept, rest);
		}

		/** Adds an option after the last one of the same or an earlier kind. */
		RunLine with(String flag, String value) {
			List<Option> out = new ArrayList<>(options);
			int rank = rank(flag);
			int at = out.size();
			for (int i = 0; i < out.size(); i++) {
				if (rank(out.get(i).flag()) > rank) {
					at = i;
					break;
				}
			}
			out.add(at, new Option(flag, value, List.of(flag, quote(value))));
			return new RunLine(command, out, rest);
		}

		/** The line, with the notes (null ones left out) as one trailing shell comment. */
		String render(String note) {
			List<String> words = new ArrayList<>(command);
			options.forEach(o -> words.addAll(o.words()));
			words.addAll(rest);
			String line = String.join(" ", words);
			List<String> notes = new ArrayList<>();
			if (note != null) {
				notes.add(note);
			}
			if (line.contains(REDACTED)) {
				notes.add("put the real values where it says " + REDACTED);
			}
			return notes.isEmpty() ? line : line + "  # " + String.join("; ", notes);
		}

		private static int rank(String flag) {
			String f = BARE_CLUSTER.matcher(flag).matches() ? "-d" : flag;
			for (int i = 0; i < ORDER.size(); i++) {
				if (ORDER.get(i).contains(f)) {
					return i;
				}
			}
			return ORDER.size();
		}
	}

	/**
	 * One shell word: as written ({@code raw}) and as the shell would pass it ({@code value}). A
	 * {@code #} starting a word ends the line: what follows is a comment, dropped with the old line.
	 */
	private record Word(String raw, String value) {

		static List<Word> split(String line) {
			List<Word> words = new ArrayList<>();
			StringBuilder value = new StringBuilder();
			int start = -1;
			int i = 0;
			while (i < line.length()) {
				char c = line.charAt(i);
				if (Character.isWhitespace(c)) {
					if (start >= 0) {
						words.add(new Word(line.substring(start, i), value.toString()));
						value.setLength(0);
						start = -1;
					}
					i++;
					continue;
				}
				if (start < 0) {
					if (c == '#') {
						break;
					}
					start = i;
				}
				if (c == '\'') {
					int end = line.indexOf('\'', i + 1);
					if (end < 0) {
						return null;
					}
					value.append(line, i + 1, end);
					i = end + 1;
				}
				else if (c == '"') {
					int j = i + 1;
					while (j < line.length() && line.charAt(j) != '"') {
						if (line.charAt(j) == '\\' && j + 1 < line.length()) {
							j++;
						}
						value.append(line.charAt(j++));
					}
					if (j >= line.length()) {
						return null;
					}
					i = j + 1;
				}
				else if (c == '\\' && i + 1 < line.length()) {
					value.append(line.charAt(i + 1));
					i += 2;
				}
				else {
					value.append(c);
					i++;
				}
			}
			if (start >= 0) {
				words.add(new Word(line.substring(start, i), value.toString()));
			}
			return words;
		}
	}
}
