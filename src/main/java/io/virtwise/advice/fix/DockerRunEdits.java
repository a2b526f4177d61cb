package io.virtwise.advice.fix;

import io.virtwise.advice.Figures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.virtwise.docker.runline.DockerRunLine;
import io.virtwise.docker.runline.ShellQuoting;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.PortBinding;

/**
 * Docker fixes as commands: a container's own {@code docker run} line ({@link ContainerFacts#runCommand()})
 * with one change applied, and the {@code docker update} lines that change a running container in
 * place. A re-create, which replaces the container, is {@link ContainerRecreate}'s. Static so DRL
 * consequences can call it.
 *
 * <p>Reading and editing the line is {@link DockerRunLine}'s: edits keep every word of the original
 * line as it was written (quoting included) and only drop or add options; added options go where
 * the rebuilt lines put them (after {@code --name}, networks before ports before mounts before
 * limits). An old trailing comment goes with the old line. A line that cannot be read, or a missing
 * one, gives a generic line with the container's name and image, marked as such.
 */
public final class DockerRunEdits {

	static final String REDACTED = "<redacted>";

	private DockerRunEdits() {
	}

	// --- for rules: a container in, a command line out ---

	/** The container's run line on the host network: no {@code --network}, no {@code -p}/{@code -P}, no addresses. */
	public static String withNetworkHost(ContainerFacts c) {
		DockerRunLine line = read(c.runCommand());
		if (line == null) {
			return generic(c, "--network host", "keep its other options, drop every -p");
		}
		return render(line.withNetworkHost(), listensNote(c));
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
		return "docker update " + updateOptions(cpusetCpus, cpus, memoryBytes) + " " + name(c);
	}

	/** The options of {@link #update}, without the container: the same for every container given the same limits. */
	public static String updateOptions(String cpusetCpus, Double cpus, Long memoryBytes) {
		String swap = memoryBytes == null ? "" : " --memory-swap " + dockerBytes(2 * memoryBytes);
		return limitOptions(cpusetCpus, cpus, memoryBytes) + swap;
	}

	/** Where the writable layer's bytes are: its largest directories, read from overlay2's upper directory. */
	public static String writableLayerUsage(ContainerFacts c) {
		String size = c.writableLayerBytes() == null ? "" : " " + Figures.binary(c.writableLayerBytes());
		return "du -xh --max-depth=3 \"$(docker inspect -f '{{.GraphDriver.Data.UpperDir}}' " + name(c)
				+ ")\" | sort -h | tail   # the directories holding its" + size + " (overlay2)";
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
		DockerRunLine line = read(runCommand);
		return line == null ? null : render(line.withNetworkHost(), null);
	}

	public static String withVolume(String runCommand, String spec) {
		DockerRunLine line = read(runCommand);
		return line == null ? null : render(line.withVolume(spec), null);
	}

	public static String withLimits(String runCommand, String cpusetCpus, Double cpus, Long memoryBytes) {
		DockerRunLine line = read(runCommand);
		if (line == null) {
			return null;
		}
		if (cpusetCpus != null) {
			line = line.withCpusetCpus(cpusetCpus);
		}
		if (cpus != null) {
			line = line.without("--cpus", "--cpu-quota", "--cpu-period").withOption("--cpus", Figures.number(cpus));
		}
		List<String> dropped = new ArrayList<>();
		if (memoryBytes != null) {
			line = line.without("-m", "--memory").withOption("--memory", dockerBytes(memoryBytes));
			// the engine refuses a swap limit not above the memory limit, and a reservation not below it
			for (String flag : List.of("--memory-swap", "--memory-reservation")) {
				for (String value : line.values(flag)) {
					Long bytes = parseBytes(value);
					boolean swap = flag.equals("--memory-swap");
					if (bytes != null && (swap ? bytes != -1 && bytes <= memoryBytes : bytes >= memoryBytes)) {
						line = line.without(flag);
						dropped.add(flag + " " + value);
					}
				}
			}
		}
		return render(line, dropped.isEmpty() ? null : "dropped " + String.join(", ", dropped)
				+ ", which the engine refuses with the new --memory (swap then defaults to twice the limit)");
	}

	/** Docker's byte counts as {@code docker run} takes them ({@code 512m}, {@code 1g}, {@code 1048576}); null when not one. */
	static Long parseBytes(String value) {
		Matcher m = DOCKER_BYTES.matcher(value.trim());
		if (!m.matches()) {
			return null;
		}
		long n = Long.parseLong(m.group(1));
		int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
			case "k" -> 10;
			case "m" -> 20;
			case "g" -> 30;
			case "t" -> 40;
			default -> 0;
		};
		return n << shift;
	}

	/**
	 * The line as written, without its old comment but for the rebuilder's notes on what the line
	 * cannot say (other networks, GPUs), which a container re-created from the edited line needs too.
	 */
	private static DockerRunLine read(String runCommand) {
		try {
			return runCommand == null ? null : DockerRunLine.parse(runCommand)
				.withoutNotes(note -> !DockerRunLine.describesTheContainer(note));
		}
		catch (IllegalArgumentException e) {
			return null;
		}
	}

	/** The line, with the note (if any) and a word on redacted values as one trailing shell comment. */
	private static String render(DockerRunLine line, String note) {
		List<String> notes = new ArrayList<>();
		if (note != null) {
			notes.add(note);
		}
		if (line.render().contains(REDACTED)) {
			notes.add(PUT_REAL_VALUES + REDACTED);
		}
		return (notes.isEmpty() ? line : line.withNote(String.join("; ", notes))).render();
	}

	private static final String PUT_REAL_VALUES = "put the real values where it says ";

	private static final Pattern DOCKER_BYTES = Pattern.compile("(-?\\d+)([bkmgt]?)b?", Pattern.CASE_INSENSITIVE);

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
		return ShellQuoting.quote(word);
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
		// -p wants an IPv6 address in brackets: [::1]:8082:82, as the rebuilt run line writes it.
		String ip = p.hostIp() == null || p.hostIp().isEmpty() ? null : p.hostIp();
		String host = ip == null ? "" : (ip.contains(":") ? "[" + ip + "]" : ip) + ":";
		String container = p.containerPort() + (p.protocol() == null || p.protocol().equals("tcp") ? "" : "/" + p.protocol());
		return host + p.hostPort() + ":" + container + (p.path() == null ? "" : " (" + p.path() + ")");
	}

	/** With host networking the service answers on its own ports, on every address unless it binds to one. */
	static String listensNote(ContainerFacts c) {
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
		String listens = "now listens on the host's own " + own + " (was -p " + was + ")";
		if (published.stream().noneMatch(PortBinding::onLoopback)) {
			return listens;
		}
		// Host networking has no -p to hold an address: the service's own bind decides who can reach it.
		return listens + ", on whatever address the service binds itself, typically all interfaces: a port reachable "
				+ "only from this machine may become reachable from the network, so bind the service to 127.0.0.1 "
				+ "in its own configuration";
	}
}
