package io.virtwise.advice.fix;

import io.virtwise.advice.FixStep;
import io.virtwise.advice.Recommendation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import io.virtwise.docker.runline.DockerRunLine;
import io.virtwise.docker.runline.ShellQuoting;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.MountInfo;

/**
 * A container re-created with one change, as lines a user can run as printed and undo: the old
 * container is renamed, kept from restarting and stopped, never removed; the new one is created
 * from the old one's run line with every mount it has (anonymous volumes by their existing names,
 * the image's too), its environment and labels read from the old container at run time (never
 * printed), and the change; it starts once it has its data and its other networks. The rollback
 * removes the new one (only if it is not the original) and starts the old one again.
 *
 * <p>Each line is safe on its own: the first acts only while the container and its image are still
 * the ones advised on; every later line needs what the earlier ones did (the old container under
 * its new name and stopped, or a new container that never ran), so after a failed step the rest
 * fail harmlessly. Where no faithful re-create can be written the plan is one comment saying why.
 * The lines use bash ({@code <(...)}, {@code [[ ]]}).
 */
public final class ContainerRecreate {

	/** What the old container is renamed to, kept until the user removes it. */
	public static final String OLD_SUFFIX = "-virtwise-old";

	/** How a refusal starts: the one fix line printed instead of a re-create. */
	public static final String REFUSED = "# no re-create printed: ";

	/**
	 * The lines of a re-create, or why there are none.
	 *
	 * @param container the container re-created; null when refused
	 * @param fix the commands in order, or the one {@link #REFUSED} comment
	 * @param rollback the way back; empty when refused (nothing changes)
	 * @param refusal why no re-create is printed, or null
	 */
	public record Plan(String container, List<String> fix, List<String> rollback, String refusal) {

		public Plan {
			fix = List.copyOf(fix);
			rollback = List.copyOf(rollback);
		}

		/** Adds the re-create as one {@link FixStep.ContainerRecreation} (a refusal as its note) and the rollback. */
		public Recommendation.Builder addTo(Recommendation.Builder b) {
			if (refused()) {
				fix.forEach(b::fix);
			}
			else {
				b.step(new FixStep.ContainerRecreation(container, fix));
			}
			rollback.forEach(b::rollback);
			return b;
		}

		public boolean refused() {
			return refusal != null;
		}
	}

	// Labels of the tools that own their containers: a container made by hand would be replaced or fought over.
	private static final Map<String, String> MANAGERS = new LinkedHashMap<>();
	static {
		MANAGERS.put("com.docker.compose.project", "docker compose (project %s): change the service in its compose file and "
				+ "run docker compose up -d, which re-creates it itself");
		MANAGERS.put("com.docker.swarm.service.name", "a swarm service (%s): docker service update changes it, and swarm "
				+ "replaces containers made by hand");
		MANAGERS.put("io.kubernetes.pod.name", "Kubernetes (pod %s): change the pod's spec");
	}

	private static final Set<String> ENV_AND_LABELS = Set.of("-e", "--env", "--env-file", "-l", "--label", "--label-file");
	private static final Set<String> SHARED_NAMESPACES = Set.of("--network", "--net", "--ipc", "--pid");
	private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{12,64}");

	private ContainerRecreate() {
	}

	/**
	 * Re-created on the host network ({@link DockerRunLine#withNetworkHost()}); refused for a
	 * container that reaches others, or is reached, by name ({@link #namesLostOnTheHostNetwork}).
	 */
	public static Plan onHostNetwork(ContainerFacts c, Collection<?> containers) {
		String lost = namesLostOnTheHostNetwork(c);
		if (lost != null) {
			return refuse(lost);
		}
		return plan(c, containers, DockerRunLine::withNetworkHost, DockerRunEdits.listensNote(c), null, null);
	}

	// Networks Docker brings itself: its embedded DNS answers container names on none of them.
	private static final Set<String> BUILT_IN_NETWORKS = Set.of("bridge", "default", "host", "none");

	/**
	 * What a move to the host network would cut: the user-defined networks the container is on (Docker's
	 * embedded DNS resolves container names and aliases there only, so it could no longer reach the
	 * others by name, nor they it) and its legacy links (refused with host networking); null when none.
	 */
	static String namesLostOnTheHostNetwork(ContainerFacts c) {
		Set<String> networks = new LinkedHashSet<>();
		String mode = c.networkMode();
		if (mode != null && !BUILT_IN_NETWORKS.contains(mode) && !mode.startsWith("container:")) {
			networks.add(mode);
		}
		List<String> links = List.of();
		if (c.runCommand() != null) {
			try {
				DockerRunLine line = DockerRunLine.parse(c.runCommand());
				for (String note : line.notes()) {
					int colon = note.indexOf(": ", DockerRunLine.OTHER_NETWORK_NOTE.length());
					if (note.startsWith(DockerRunLine.OTHER_NETWORK_NOTE) && colon > 0) {
						String network = note.substring(DockerRunLine.OTHER_NETWORK_NOTE.length(), colon);
						if (!BUILT_IN_NETWORKS.contains(network)) {
							networks.add(network);
						}
					}
				}
				links = line.values("--link");
			}
			catch (IllegalArgumentException e) {
				// an unreadable line is refused with its own reason
			}
		}
		List<String> lost = new ArrayList<>();
		if (!networks.isEmpty()) {
			lost.add("it is on the user-defined network" + (networks.size() > 1 ? "s " : " ") + String.join(", ", networks)
					+ ", where Docker's embedded DNS lets containers reach each other by name: on the host network it would leave "
					+ (networks.size() > 1 ? "them" : "it") + ", and could no longer resolve the others' names, nor they its own");
		}
		if (!links.isEmpty()) {
			lost.add("its --link " + String.join(", --link ", links) + " cannot go with host networking, and the names "
					+ (links.size() > 1 ? "they give" : "it gives") + " would no longer resolve");
		}
		return lost.isEmpty() ? null : String.join("; ", lost);
	}

	/**
	 * Re-created with {@code directory} on a new named volume holding what the old container had
	 * there: created with {@code volume-nocopy} (so the image's files do not come back over ones the
	 * container deleted), then filled by {@code docker cp} from the stopped old container, owners and
	 * modes kept, before it first starts.
	 */
	public static Plan withDataVolume(ContainerFacts c, Collection<?> containers, String volume, String directory) {
		if (directory == null || !directory.startsWith("/") || directory.equals("/") || directory.contains("..")
				|| !SAFE_PATH.matcher(directory).matches()) {
			return refuse("the directory to move (" + directory + ") is not a plain absolute path");
		}
		String dir = directory.endsWith("/") ? directory.substring(0, directory.length() - 1) : directory;
		if (c.mounts() != null) {
			for (MountInfo m : c.mounts()) {
				String d = m.destination();
				if (d != null && (d.equals(dir) || d.startsWith(dir + "/") || dir.startsWith(d + "/"))) {
					return refuse(dir + " is not all in the writable layer: " + d + " is a " + m.type() + " mount");
				}
			}
		}
		return plan(c, containers, line -> line.withVolume(volume + ":" + dir + ":nocopy"), null, volume, dir);
	}

	// Paths that need no quoting and no thought: what a data directory's name is made of.
	private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

	private static Plan plan(ContainerFacts c, Collection<?> containers, UnaryOperator<DockerRunLine> change, String changeNote,
			String volume, String directory) {
		String why = refusal(c, containers);
		if (why != null) {
			return refuse(why);
		}
		DockerRunLine line;
		try {
			line = DockerRunLine.parse(c.runCommand()).withoutNotes(note -> !DockerRunLine.describesTheContainer(note));
		}
		catch (IllegalArgumentException e) {
			return refuse("its docker run line cannot be read (" + e.getMessage() + ")");
		}
		for (String note : line.notes()) {
			if (note.startsWith(DockerRunLine.GPUS_NOTE)) {
				return refuse("it has device requests (--gpus), which its run line does not carry");
			}
			if (note.startsWith(DockerRunLine.HEALTH_CHECK_NOTE)) {
				return refuse(note + " (give the image that health check, or one --health-cmd can write)");
			}
			if (note.startsWith(DockerRunLine.KEY_VALUE_FILE_NOTE)) {
				return refuse("its environment or labels are carried by --env-file and --label-file, and a file cannot carry "
						+ note.substring(DockerRunLine.KEY_VALUE_FILE_NOTE.length()));
			}
		}
		String name = c.name();
		String old = name + OLD_SUFFIX;
		String q = ShellQuoting.quote(name);
		String qOld = ShellQuoting.quote(old);

		line = line.without(o -> ENV_AND_LABELS.contains(o.flag()) || o.flag().equals("--rm"));
		String secret = redactedOptions(line);
		if (secret != null) {
			return refuse(secret + " holds a secret that the facts keep redacted, so the line cannot be printed to run as is");
		}
		MountsOrRefusal mounts = withEveryMount(line, c.mounts());
		if (mounts.refusal != null) {
			return refuse(mounts.refusal);
		}
		line = mounts.line;
		if (!line.has("--name")) {
			line = line.withOption("--name", name);
		}
		// The default hostname is the id's start: a new container would get another, and services that key their
		// data by it (RabbitMQ's node name) would not find it. Not settable where another namespace supplies it.
		boolean ownUts = !"host".equals(first(line, "--uts")) && !String.valueOf(c.networkMode()).startsWith("container:")
				&& !"host".equals(c.networkMode());
		if (ownUts && !line.has("--hostname") && !line.has("-h")) {
			line = line.withOption("--hostname", c.id().substring(0, 12));
		}
		line = change.apply(line)
			.withProcessSubstitution("--env-file", "docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' " + qOld)
			.withProcessSubstitution("--label-file",
					"docker container inspect -f '{{range $k, $v := .Config.Labels}}{{$k}}={{println $v}}{{end}}' " + qOld)
			.asCreate();
		List<String> connects = new ArrayList<>();
		for (String note : line.notes()) {
			if (note.startsWith(DockerRunLine.OTHER_NETWORK_NOTE)) {
				connects.add(note.substring(note.indexOf(": ") + 2));
			}
		}
		line = line.withoutNotes(note -> note.startsWith(DockerRunLine.OTHER_NETWORK_NOTE));
		if (changeNote != null) {
			line = line.withNote(changeNote);
		}
		if (line.render().contains(DockerRunEdits.REDACTED)) {
			return refuse("a value in its run line is redacted in the facts");
		}

		String idGuard = "[[ \"$(docker container inspect -f '{{.Id}}' " + q + " 2>/dev/null)\" == " + c.id() + "* ]]";
		String image = ShellQuoting.quote(line.image());
		List<String> fix = new ArrayList<>();
		fix.add("# re-creates " + name + " (bash): the old container is kept, stopped, as " + old + " with its volumes until "
				+ "you remove it; the new one gets every mount, and the environment and labels read from the old one");
		fix.add(idGuard + " && [ \"$(docker image inspect -f '{{.Id}}' " + image + " 2>/dev/null)\" = " + ShellQuoting.quote(c.imageId()) + " ]"
				+ (volume == null ? "" : " && ! docker volume inspect " + ShellQuoting.quote(volume) + " >/dev/null 2>&1")
				+ " && docker rename " + q + " " + qOld + "   # acts only while " + name + " is the container advised on and "
				+ line.image() + " still names the image it runs (else the new one would run other software)"
				+ (volume == null ? "" : ", and no volume " + volume + " exists yet")
				+ "; otherwise nothing changes and every later line fails harmlessly");
		boolean restarts = !"no".equals(c.restartPolicy());
		if (restarts) {
			fix.add("docker update --restart no " + qOld + "   # else its restart policy (" + c.restartPolicy()
					+ ") starts it with the daemon, next to the new one");
		}
		fix.add("docker stop " + qOld);
		if (volume != null) {
			fix.add("docker volume create " + ShellQuoting.quote(volume));
		}
		fix.add("[ \"$(docker container inspect -f '{{.State.Running}}' " + qOld + " 2>/dev/null)\" = false ] && " + line.render());
		String neverRan = "[ \"$(docker container inspect -f '{{.State.Status}}' " + q + " 2>/dev/null)\" = created ] && ";
		if (volume != null) {
			String parent = directory.substring(0, directory.lastIndexOf('/'));
			fix.add(neverRan + "docker cp " + qOld + ":" + directory + " - | docker cp - " + q + ":" + (parent.isEmpty() ? "/" : parent)
					+ "   # " + directory + " into " + volume + ", owners and modes kept");
		}
		connects.forEach(connect -> fix.add(neverRan + connect));
		fix.add("docker start " + q);
		fix.add("# when satisfied: docker rm " + qOld + "   (without -v: its volumes are the new " + name + "'s too"
				+ (volume == null ? "" : "; its copy of " + directory + " goes with it") + ")");

		List<String> rollback = new ArrayList<>();
		rollback.add("[[ \"$(docker container inspect -f '{{.Id}}' " + q + " 2>/dev/null)\" != " + c.id() + "* ]] && docker stop " + q
				+ " && docker rm " + q + "   # the new " + name + ", never the original (its id is checked); without -v, so the volumes stay");
		rollback.add("docker rename " + qOld + " " + q);
		if (restarts) {
			rollback.add("docker update --restart " + c.restartPolicy() + " " + q);
		}
		if ("running".equals(c.state())) {
			rollback.add("docker start " + q);
		}
		if (volume != null) {
			rollback.add("# " + volume + " keeps what the new container wrote to " + directory + ": docker volume rm " + volume
					+ " once nothing there is needed");
		}
		return new Plan(name, fix, rollback, null);
	}

	private static Plan refuse(String why) {
		return new Plan(null, List.of(REFUSED + why.replaceAll("[\\r\\n]+", " ")), List.of(), why);
	}

	/** Why this container cannot be re-created faithfully from its facts, or null. */
	static String refusal(ContainerFacts c, Collection<?> containers) {
		if (c.name() == null) {
			return "its name is unknown";
		}
		if (c.id() == null || !HEX_ID.matcher(c.id()).matches()) {
			return "its id is unknown, so the lines could not check that they act on it";
		}
		if (Boolean.TRUE.equals(c.autoRemove())) {
			return c.name() + " was started with --rm: stopping it removes it and its anonymous volumes, so there would be "
					+ "no way back; re-create it where it is started";
		}
		if (c.runCommand() == null) {
			return "its docker run line is unknown";
		}
		if (c.mounts() == null) {
			return "its mounts are unknown, so the new container could not be given them all";
		}
		if (c.image() == null || c.imageId() == null) {
			return "the image it runs (its id) is unknown, so the lines could not check that " + (c.image() == null ? "its image"
					: c.image()) + " still names it; a re-create could run another version";
		}
		if (c.restartPolicy() == null) {
			return "its restart policy is unknown, so the way back could not restore it";
		}
		if (c.labels() != null) {
			for (Map.Entry<String, String> manager : MANAGERS.entrySet()) {
				String value = c.labels().get(manager.getKey());
				if (value != null) {
					return "it is managed by " + String.format(manager.getValue(), value);
				}
			}
		}
		List<String> sharing = new ArrayList<>();
		if (containers != null) {
			for (Object o : containers) {
				if (o instanceof ContainerFacts other && !sameContainer(other, c)) {
					String how = shares(other, c);
					if (how != null) {
						sharing.add(other.name() + " (" + how + ")");
					}
				}
			}
		}
		if (!sharing.isEmpty()) {
			return "other containers depend on this very container: " + String.join(", ", sharing)
					+ "; they would lose it when it stops, so re-create them together";
		}
		return null;
	}

	private static boolean sameContainer(ContainerFacts a, ContainerFacts b) {
		return Objects.equals(a.id(), b.id()) && Objects.equals(a.name(), b.name());
	}

	/** How another container is tied to this one (a namespace of it, or a legacy link to it), or null. */
	private static String shares(ContainerFacts other, ContainerFacts c) {
		if (other.networkMode() != null && other.networkMode().startsWith("container:")
				&& names(c, other.networkMode().substring("container:".length()))) {
			return "--network " + other.networkMode();
		}
		if (other.runCommand() == null) {
			return null;
		}
		DockerRunLine line;
		try {
			line = DockerRunLine.parse(other.runCommand());
		}
		catch (IllegalArgumentException e) {
			return null;
		}
		for (DockerRunLine.Option o : line.options()) {
			String value = o.value();
			if (value == null) {
				continue;
			}
			if (SHARED_NAMESPACES.contains(o.flag()) && value.startsWith("container:")
					&& names(c, value.substring("container:".length()))) {
				return o.flag() + " " + value;
			}
			if (o.flag().equals("--link") && names(c, value.split(":")[0])) {
				return "--link " + value;
			}
		}
		return null;
	}

	/** Whether a reference (a name, or an id or its prefix) names this container. */
	private static boolean names(ContainerFacts c, String ref) {
		if (ref.isEmpty()) {
			return false;
		}
		String bare = ref.startsWith("/") ? ref.substring(1) : ref;
		return bare.equals(c.name()) || (c.id() != null && bare.length() >= 12 && (c.id().startsWith(bare) || bare.startsWith(c.id())));
	}

	/** The options (or the command line) still holding a redacted value, once environment and labels are gone. */
	private static String redactedOptions(DockerRunLine line) {
		List<String> where = new ArrayList<>();
		for (DockerRunLine.Option o : line.options()) {
			if (o.value() != null && o.value().contains(DockerRunEdits.REDACTED)) {
				String value = o.value();
				int eq = value.indexOf('=');
				where.add(o.flag() + (o.flag().equals("--log-opt") && eq > 0 ? " " + value.substring(0, eq) : ""));
			}
		}
		if (line.args().stream().anyMatch(a -> a.contains(DockerRunEdits.REDACTED))) {
			where.add("its command line");
		}
		return where.isEmpty() ? null : String.join(", ", where.stream().distinct().toList());
	}

	private record MountsOrRefusal(DockerRunLine line, String refusal) {
	}

	/**
	 * The line with every mount the container has: an anonymous volume the line would create anew
	 * ({@code -v /path}) and the image's own VOLUMEs become their existing volumes by name; binds,
	 * named volumes and tmpfs the line has stay as written; mounts from {@code --volumes-from} are
	 * written out, and the option goes. A mount the line has differently from the facts is refused.
	 */
	private static MountsOrRefusal withEveryMount(DockerRunLine line, List<MountInfo> mounts) {
		Map<String, DockerRunLine.Mount> byDestination = new LinkedHashMap<>();
		for (DockerRunLine.Mount m : line.mounts()) {
			byDestination.put(clean(m.destination()), m);
		}
		for (MountInfo m : mounts) {
			String destination = m.destination() == null ? null : clean(m.destination());
			if (destination == null || m.type() == null) {
				return new MountsOrRefusal(null, "a mount without a destination or type in its facts");
			}
			boolean readOnly = Boolean.TRUE.equals(m.readOnly());
			DockerRunLine.Mount written = byDestination.get(destination);
			switch (m.type()) {
				case "volume" -> {
					if (m.name() == null || m.name().isEmpty()) {
						return new MountsOrRefusal(null, "the volume at " + destination + " has no name in its facts");
					}
					if (written == null) {
						line = line.withOption("-v", m.name() + ":" + destination + (readOnly ? ":ro" : ""));
					}
					else if (written.type().equals("volume") && written.source() == null) {
						DockerRunLine.Option o = written.option();
						line = o.flag().equals("--mount") ? line.replacing(o, "--mount", o.value() + ",source=" + m.name())
								: line.replacing(o, o.flag(), m.name() + ":" + o.value());
					}
					else if (!written.type().equals("volume") || !written.source().equals(m.name())) {
						return differs(destination, m, written);
					}
				}
				case "bind" -> {
					if (m.source() == null) {
						return new MountsOrRefusal(null, "the bind mount at " + destination + " has no source in its facts");
					}
					if (written == null) {
						line = line.withOption("-v", m.source() + ":" + destination + (readOnly ? ":ro" : ""));
					}
					else if (!written.type().equals("bind") || !clean(written.source()).equals(clean(m.source()))) {
						return differs(destination, m, written);
					}
				}
				case "tmpfs" -> {
					if (written == null) {
						line = line.withOption("--tmpfs", destination + (readOnly ? ":ro" : ""));
					}
					else if (!written.type().equals("tmpfs")) {
						return differs(destination, m, written);
					}
				}
				default -> {
					return new MountsOrRefusal(null, "its " + m.type() + " mount at " + destination + " is not one docker run can write");
				}
			}
			if (written != null && written.readOnly() != readOnly) {
				return new MountsOrRefusal(null, "its run line mounts " + destination + (written.readOnly() ? " read-only" : " read-write")
						+ " and the engine says otherwise");
			}
		}
		// every mount is now written out, those of --volumes-from included
		return new MountsOrRefusal(line.without("--volumes-from"), null);
	}

	private static MountsOrRefusal differs(String destination, MountInfo m, DockerRunLine.Mount written) {
		return new MountsOrRefusal(null, "its run line mounts " + destination + " from " + (written.source() == null ? "a new "
				+ written.type() : written.type() + " " + written.source()) + " and the engine says " + m.type() + " "
				+ (m.name() != null ? m.name() : m.source()));
	}

	private static String clean(String path) {
		return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	private static String first(DockerRunLine line, String flag) {
		List<String> values = line.values(flag);
		return values.isEmpty() ? null : values.get(0);
	}
}
