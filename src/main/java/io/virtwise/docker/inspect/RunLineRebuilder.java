package io.virtwise.docker.inspect;

import io.virtwise.docker.runline.DockerRunLine;
import io.virtwise.docker.runline.ShellQuoting;
import static io.virtwise.docker.inspect.DockerJson.at;
import static io.virtwise.docker.inspect.DockerJson.bool;
import static io.virtwise.docker.inspect.DockerJson.fields;
import static io.virtwise.docker.inspect.DockerJson.number;
import static io.virtwise.docker.inspect.DockerJson.positive;
import static io.virtwise.docker.inspect.DockerJson.present;
import static io.virtwise.docker.inspect.DockerJson.stringMap;
import static io.virtwise.docker.inspect.DockerJson.strings;
import static io.virtwise.docker.inspect.DockerJson.text;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.redact.Redactor;

/**
 * Rebuilds a container's own {@code docker run} line from its inspect JSON. What came from the
 * image (its command, environment, labels, volumes, user, working directory, stop signal, health
 * check) is left out when the image's config is known, so the line shows what the user asked for;
 * without it the line is longer but still runs the same container. What a plain {@code docker run}
 * leaves in inspect (no limits, 64 MiB of /dev/shm, a private ipc namespace, the short id as
 * hostname and alias) is left out too. What the line cannot say goes into its notes.
 */
public final class RunLineRebuilder {

	// What docker run gives /dev/shm without --shm-size.
	private static final long DEFAULT_SHM_SIZE = 64L << 20;

	private RunLineRebuilder() {
	}

	/**
	 * @param inspect one element of {@code docker inspect} output
	 * @param imageConfig the image's {@code Config} object, or null when unknown
	 * @param engine the engine's defaults (an unknown logging driver default names the container's
	 *        driver; an unknown default runtime is taken for runc) and its containers' names by id
	 */
	public static DockerRunLine rebuild(JsonNode inspect, JsonNode imageConfig, EngineContext engine) {
		JsonNode config = at(inspect, "Config");
		JsonNode host = at(inspect, "HostConfig");
		List<DockerRunLine.Option> o = new ArrayList<>();
		List<String> notes = new ArrayList<>();

		if (Boolean.FALSE.equals(bool(config, "AttachStdout")) && Boolean.FALSE.equals(bool(config, "AttachStderr"))) {
			o.add(bare("-d"));
		}
		if (Boolean.TRUE.equals(bool(config, "OpenStdin"))) {
			o.add(bare("-i"));
		}
		if (Boolean.TRUE.equals(bool(config, "Tty"))) {
			o.add(bare("-t"));
		}
		if (Boolean.TRUE.equals(bool(host, "AutoRemove"))) {
			o.add(bare("--rm"));
		}
		String name = DockerFactsMapper.name(inspect);
		if (name != null) {
			o.add(opt("--name", name));
		}
		String hostname = ownHostname(inspect);
		if (hostname != null) {
			o.add(opt("--hostname", hostname));
		}
		addIfPresent(o, "--domainname", text(config, "Domainname"));
		String network = text(host, "NetworkMode");
		if (network != null && !network.equals("default") && !network.equals("bridge")) {
			o.add(opt("--network", otherContainerByName("--network", network, engine, notes)));
		}
		networkExtras(inspect, name, o, notes);
		addIfPresent(o, "--mac-address", text(config, "MacAddress"));
		ports(host, o);
		exposedPorts(config, imageConfig, host, o);
		Set<String> mounted = mounts(host, o);
		anonymousVolumes(config, imageConfig, mounted, o);
		strings(host, "VolumesFrom").forEach(from -> o.add(opt("--volumes-from", from)));
		if (Boolean.TRUE.equals(bool(host, "ReadonlyRootfs"))) {
			o.add(bare("--read-only"));
		}
		stringMap(host, "StorageOpt").forEach((key, value) -> o.add(opt("--storage-opt", key + "=" + value)));
		addIfPresent(o, "--workdir", notFromImage(config, imageConfig, "WorkingDir"));
		addIfPresent(o, "--user", notFromImage(config, imageConfig, "User"));
		strings(host, "GroupAdd").forEach(group -> o.add(opt("--group-add", group)));

		cpuAndMemory(host, o);
		io(host, o, notes);

		String restart = restartPolicy(host);
		if (restart != null && !restart.equals("no")) {
			o.add(opt("--restart", restart));
		}
		if (Boolean.TRUE.equals(bool(host, "Init"))) {
			o.add(bare("--init"));
		}
		addIfPresent(o, "--stop-signal", notFromImage(config, imageConfig, "StopSignal"));
		Long stopTimeout = number(config, "StopTimeout");
		if (stopTimeout != null) {
			o.add(opt("--stop-timeout", stopTimeout.toString()));
		}
		healthcheck(config, imageConfig, o, notes);
		logging(host, engine.logDriver(), o);
		String runtime = text(host, "Runtime");
		if (runtime != null && !runtime.equals(engine.defaultRuntime() == null ? "runc" : engine.defaultRuntime())) {
			o.add(opt("--runtime", runtime));
		}

		String ipc = text(host, "IpcMode");
		if (ipc != null && !ipc.equals("private")) {
			o.add(opt("--ipc", otherContainerByName("--ipc", ipc, engine, notes)));
		}
		String pid = text(host, "PidMode");
		if (pid != null) {
			o.add(opt("--pid", otherContainerByName("--pid", pid, engine, notes)));
		}
		addIfPresent(o, "--uts", text(host, "UTSMode"));
		addIfPresent(o, "--userns", text(host, "UsernsMode"));
		boolean privileged = Boolean.TRUE.equals(bool(host, "Privileged"));
		if (privileged) {
			o.add(bare("--privileged"));
		}
		strings(host, "CapDrop").forEach(cap -> o.add(opt("--cap-drop", cap)));
		strings(host, "CapAdd").forEach(cap -> o.add(opt("--cap-add", cap)));
		// The engine adds label=disable itself to privileged containers and to those sharing the host's pid or ipc.
		boolean labelsOffAnyway = privileged || "host".equals(text(host, "PidMode")) || "host".equals(ipc);
		for (String security : strings(host, "SecurityOpt")) {
			if (!(labelsOffAnyway && security.equals("label=disable"))) {
				o.add(opt("--security-opt", readableSecurityOpt(security)));
			}
		}
		stringMap(host, "Sysctls").forEach((key, value) -> o.add(opt("--sysctl", key + "=" + value)));

		List<String> args = new ArrayList<>();
		List<String> entrypoint = strings(config, "Entrypoint");
		boolean ownEntrypoint = !entrypoint.isEmpty()
				&& (imageConfig == null || !entrypoint.equals(strings(imageConfig, "Entrypoint")));
		if (ownEntrypoint) {
			o.add(opt("--entrypoint", Redactor.redact(entrypoint.get(0))));
			args.addAll(entrypoint.subList(1, entrypoint.size()));
		}

		Set<String> imageEnv = imageConfig == null ? Set.of() : new HashSet<>(strings(imageConfig, "Env"));
		for (String entry : strings(config, "Env")) {
			if (!imageEnv.contains(entry)) {
				o.add(opt("-e", DockerFactsMapper.envName(entry) + "=" + Redactor.REDACTED));
			}
		}
		Map<String, String> imageLabels = imageConfig == null ? Map.of() : stringMap(imageConfig, "Labels");
		stringMap(config, "Labels").forEach((key, value) -> {
			if (!value.equals(imageLabels.get(key))) {
				o.add(opt("--label", key + "=" + Redactor.redactValue(key, value)));
			}
		});

		List<String> cmd = strings(config, "Cmd");
		// An own entrypoint resets the image's command, so the command must then be spelled out.
		if (ownEntrypoint || imageConfig == null || !cmd.equals(strings(imageConfig, "Cmd"))) {
			args.addAll(cmd);
		}
		String image = text(config, "Image");
		// a password or token on the command line is as secret as one in the environment
		// the program the arguments go to, also when it is the image's entrypoint (curlimages/curl -u user:PASS)
		String program = entrypoint.isEmpty() ? null : entrypoint.get(0);
		String unwritable = notInAFile(strings(config, "Env"), stringMap(config, "Labels"));
		if (unwritable != null) {
			notes.add(DockerRunLine.KEY_VALUE_FILE_NOTE + unwritable);
		}
		DockerRunLine line = new DockerRunLine(o, image == null ? text(inspect, "Image") : image,
				Redactor.redactArgs(program, args));
		for (String note : notes) {
			line = line.withNote(note);
		}
		return line;
	}

	// bufio.Scanner's longest line, with which the docker CLI reads --env-file and --label-file
	private static final int LONGEST_FILE_LINE = 64 * 1024 - 1;

	/**
	 * What an --env-file or --label-file (one NAME=value a line; # starts a comment; leading blanks
	 * dropped) cannot carry: a value with a line break, a name that starts with # or a blank or has no
	 * value, a line too long for the CLI. Named by its key only; null when everything fits.
	 */
	static String notInAFile(List<String> env, Map<String, String> labels) {
		List<String> problems = new ArrayList<>();
		for (String entry : env) {
			String name = DockerFactsMapper.envName(entry);
			if (!entry.contains("=")) {
				problems.add("environment " + name + " (no value: a file would take this shell's)");
			}
			else if (entry.contains("\n") || entry.contains("\r")) {
				problems.add("environment " + name + " (a line break)");
			}
			else if (badKey(name) || entry.length() > LONGEST_FILE_LINE) {
				problems.add("environment " + name.strip() + (badKey(name) ? " (its name)" : " (longer than a file line may be)"));
			}
		}
		labels.forEach((key, value) -> {
			if (key.contains("=") || badKey(key)) {
				problems.add("label " + key.strip() + " (its key)");
			}
			else if (value.contains("\n") || value.contains("\r")) {
				problems.add("label " + key + " (a line break)");
			}
			else if (key.length() + 1 + value.length() > LONGEST_FILE_LINE) {
				problems.add("label " + key + " (longer than a file line may be)");
			}
		});
		return problems.isEmpty() ? null : String.join(", ", problems);
	}

	private static boolean badKey(String key) {
		return key.isEmpty() || key.startsWith("#") || Character.isWhitespace(key.charAt(0));
	}

	/**
	 * A namespace shared with another container: inspect names it by id ({@code container:3f2a...}),
	 * which the other container loses when it is re-created, so the line names it instead; when its
	 * name is unknown (an inspect file of this container alone), the id stays and a note says so.
	 */
	private static String otherContainerByName(String option, String mode, EngineContext engine, List<String> notes) {
		if (!mode.startsWith("container:")) {
			return mode;
		}
		String id = mode.substring("container:".length());
		String name = engine.containerNames().get(id);
		if (name != null) {
			return "container:" + name;
		}
		notes.add(option + " " + mode + " names the other container by id, which it loses when it is re-created: "
				+ "put its name there");
		return mode;
	}

	/**
	 * The hostname the user gave: not the short id Docker uses by default, and not when the host's or
	 * another container's namespace supplies it (the engine refuses --hostname with a container's network).
	 */
	private static String ownHostname(JsonNode inspect) {
		String hostname = text(inspect, "Config", "Hostname");
		String network = text(inspect, "HostConfig", "NetworkMode");
		String uts = text(inspect, "HostConfig", "UTSMode");
		if (hostname == null || hostname.equals(shortId(inspect)) || "host".equals(uts)
				|| (network != null && (network.equals("host") || network.startsWith("container:")))) {
			return null;
		}
		return hostname;
	}

	/**
	 * Aliases and links on the container's own network, host entries and DNS settings. docker run
	 * joins one network; any other it is on is said in a note.
	 */
	private static void networkExtras(JsonNode inspect, String name, List<DockerRunLine.Option> o, List<String> notes) {
		JsonNode host = at(inspect, "HostConfig");
		String mode = DockerFactsMapper.networkMode(text(host, "NetworkMode"));
		String shortId = shortId(inspect);
		String hostname = text(inspect, "Config", "Hostname");
		fields(inspect, "NetworkSettings", "Networks").forEach((network, endpoint) -> {
			List<String> aliases = new ArrayList<>();
			for (String alias : strings(endpoint, "Aliases")) {
				// The engine adds the short id and the hostname as aliases itself.
				if (!alias.equals(shortId) && !alias.equals(hostname)) {
					aliases.add(alias);
				}
			}
			String ip = text(endpoint, "IPAMConfig", "IPv4Address");
			String ip6 = text(endpoint, "IPAMConfig", "IPv6Address");
			if (!network.equals(mode)) {
				StringBuilder connect = new StringBuilder("docker network connect");
				aliases.forEach(alias -> connect.append(" --alias ").append(ShellQuoting.quote(alias)));
				if (ip != null) {
					connect.append(" --ip ").append(ip);
				}
				if (ip6 != null) {
					connect.append(" --ip6 ").append(ip6);
				}
				notes.add(DockerRunLine.OTHER_NETWORK_NOTE + network + ": " + connect + " " + ShellQuoting.quote(network) + " "
						+ (name == null ? "<container>" : ShellQuoting.quote(name)));
				return;
			}
			aliases.forEach(alias -> o.add(opt("--network-alias", alias)));
			addIfPresent(o, "--ip", ip);
			addIfPresent(o, "--ip6", ip6);
		});
		for (String link : strings(host, "Links")) {
			// Stored as /other:/this/alias
			int colon = link.indexOf(':');
			if (colon > 0) {
				String other = link.substring(0, colon).replaceFirst("^/", "");
				String alias = link.substring(link.lastIndexOf('/') + 1);
				o.add(opt("--link", other.equals(alias) ? other : other + ":" + alias));
			}
		}
		strings(host, "ExtraHosts").forEach(entry -> o.add(opt("--add-host", entry)));
		strings(host, "Dns").forEach(server -> o.add(opt("--dns", server)));
		strings(host, "DnsSearch").forEach(domain -> o.add(opt("--dns-search", domain)));
		strings(host, "DnsOptions").forEach(option -> o.add(opt("--dns-option", option)));
	}

	/** {@code --expose} ports the user asked for: not the image's, not already published. */
	private static void exposedPorts(JsonNode config, JsonNode imageConfig, JsonNode host, List<DockerRunLine.Option> o) {
		Set<String> fromImage = imageConfig == null ? Set.of() : fields(imageConfig, "ExposedPorts").keySet();
		Set<String> published = fields(host, "PortBindings").keySet();
		for (String port : fields(config, "ExposedPorts").keySet()) {
			if (!fromImage.contains(port) && !published.contains(port)) {
				o.add(opt("--expose", port.endsWith("/tcp") ? port.substring(0, port.length() - 4) : port));
			}
		}
	}

	private static void cpuAndMemory(JsonNode host, List<DockerRunLine.Option> o) {
		addIfPresent(o, "--cpuset-cpus", text(host, "CpusetCpus"));
		addIfPresent(o, "--cpuset-mems", text(host, "CpusetMems"));
		Long nanoCpus = positive(host, "NanoCpus");
		if (nanoCpus != null) {
			o.add(opt("--cpus", BigDecimal.valueOf(nanoCpus, 9).stripTrailingZeros().toPlainString()));
		}
		Long quota = positive(host, "CpuQuota");
		if (quota != null) {
			o.add(opt("--cpu-quota", quota.toString()));
			Long period = positive(host, "CpuPeriod");
			if (period != null) {
				o.add(opt("--cpu-period", period.toString()));
			}
		}
		Long shares = positive(host, "CpuShares");
		if (shares != null) {
			o.add(opt("--cpu-shares", shares.toString()));
		}
		Long memory = positive(host, "Memory");
		if (memory != null) {
			o.add(opt("--memory", DockerRunLine.bytes(memory)));
		}
		Long reservation = positive(host, "MemoryReservation");
		if (reservation != null) {
			o.add(opt("--memory-reservation", DockerRunLine.bytes(reservation)));
		}
		Long swap = number(host, "MemorySwap");
		// The engine sets swap to twice the memory limit when --memory comes alone.
		if (swap != null && swap == -1) {
			o.add(opt("--memory-swap", "-1"));
		}
		else if (swap != null && swap > 0 && (memory == null || swap != 2 * memory)) {
			o.add(opt("--memory-swap", DockerRunLine.bytes(swap)));
		}
		Long swappiness = number(host, "MemorySwappiness");
		if (swappiness != null && swappiness >= 0) {
			o.add(opt("--memory-swappiness", swappiness.toString()));
		}
		if (Boolean.TRUE.equals(bool(host, "OomKillDisable"))) {
			o.add(bare("--oom-kill-disable"));
		}
		Long oomScore = number(host, "OomScoreAdj");
		if (oomScore != null && oomScore != 0) {
			o.add(opt("--oom-score-adj", oomScore.toString()));
		}
		Long shm = positive(host, "ShmSize");
		if (shm != null && shm != DEFAULT_SHM_SIZE) {
			o.add(opt("--shm-size", DockerRunLine.bytes(shm)));
		}
		Long pids = positive(host, "PidsLimit");
		if (pids != null) {
			o.add(opt("--pids-limit", pids.toString()));
		}
		JsonNode ulimits = at(host, "Ulimits");
		if (ulimits.isArray()) {
			for (JsonNode ulimit : ulimits) {
				Long soft = number(ulimit, "Soft");
				Long hard = number(ulimit, "Hard");
				o.add(opt("--ulimit", text(ulimit, "Name") + "=" + soft + (Objects.equals(soft, hard) ? "" : ":" + hard)));
			}
		}
	}

	/** Block I/O weights and throttles, devices and the cgroup parent. */
	private static void io(JsonNode host, List<DockerRunLine.Option> o, List<String> notes) {
		Long weight = positive(host, "BlkioWeight");
		if (weight != null) {
			o.add(opt("--blkio-weight", weight.toString()));
		}
		perDevice(host, "BlkioWeightDevice", "Weight", "--blkio-weight-device", false, o);
		perDevice(host, "BlkioDeviceReadBps", "Rate", "--device-read-bps", true, o);
		perDevice(host, "BlkioDeviceWriteBps", "Rate", "--device-write-bps", true, o);
		perDevice(host, "BlkioDeviceReadIOps", "Rate", "--device-read-iops", false, o);
		perDevice(host, "BlkioDeviceWriteIOps", "Rate", "--device-write-iops", false, o);
		JsonNode devices = at(host, "Devices");
		if (devices.isArray()) {
			for (JsonNode device : devices) {
				o.add(opt("--device", deviceSpec(device)));
			}
		}
		strings(host, "DeviceCgroupRules").forEach(rule -> o.add(opt("--device-cgroup-rule", rule)));
		JsonNode requests = at(host, "DeviceRequests");
		if (requests.isArray() && !requests.isEmpty()) {
			notes.add(DockerRunLine.GPUS_NOTE);
		}
		addIfPresent(o, "--cgroup-parent", text(host, "CgroupParent"));
	}

	private static void perDevice(JsonNode host, String field, String valueField, String flag, boolean inBytes,
			List<DockerRunLine.Option> o) {
		JsonNode entries = at(host, field);
		if (!entries.isArray()) {
			return;
		}
		for (JsonNode entry : entries) {
			Long value = number(entry, valueField);
			if (value != null) {
				o.add(opt(flag, text(entry, "Path") + ":" + (inBytes ? DockerRunLine.bytes(value) : value.toString())));
			}
		}
	}

	/** {@code /dev/x}, {@code /dev/x:/dev/y} or {@code /dev/x:/dev/y:r}: only what differs from the defaults. */
	private static String deviceSpec(JsonNode device) {
		String onHost = text(device, "PathOnHost");
		String inContainer = text(device, "PathInContainer");
		String permissions = text(device, "CgroupPermissions");
		boolean allPermissions = permissions == null || permissions.equals("rwm");
		if ((inContainer == null || inContainer.equals(onHost)) && allPermissions) {
			return onHost;
		}
		return onHost + ":" + (inContainer == null ? onHost : inContainer) + (allPermissions ? "" : ":" + permissions);
	}

	/**
	 * The health check where it is not the image's own. --health-cmd always runs through a shell, so a
	 * test in exec form is said in a note instead.
	 */
	private static void healthcheck(JsonNode config, JsonNode imageConfig, List<DockerRunLine.Option> o,
			List<String> notes) {
		JsonNode check = at(config, "Healthcheck");
		JsonNode imageCheck = imageConfig == null ? null : at(imageConfig, "Healthcheck");
		if (!present(check) || check.equals(imageCheck)) {
			return;
		}
		List<String> test = strings(check, "Test");
		if (!test.isEmpty() && (imageCheck == null || !test.equals(strings(imageCheck, "Test")))) {
			if (test.get(0).equals("NONE")) {
				o.add(bare("--no-healthcheck"));
				return;
			}
			if (test.get(0).equals("CMD-SHELL") && test.size() == 2) {
				// a health check that logs in carries its password like any command line
				o.add(opt("--health-cmd", Redactor.redact(test.get(1))));
			}
			else if (test.get(0).equals("CMD")) {
				notes.add(DockerRunLine.HEALTH_CHECK_NOTE + String.join(" ", Redactor.redactArgs(test.subList(1, test.size())))
						+ " without a shell, which --health-cmd cannot write");
			}
		}
		for (String[] timing : new String[][] { { "Interval", "--health-interval" }, { "Timeout", "--health-timeout" },
				{ "StartPeriod", "--health-start-period" } }) {
			Long nanos = positive(check, timing[0]);
			if (nanos != null && (imageCheck == null || !nanos.equals(positive(imageCheck, timing[0])))) {
				o.add(opt(timing[1], duration(nanos)));
			}
		}
		Long retries = positive(check, "Retries");
		if (retries != null && (imageCheck == null || !retries.equals(positive(imageCheck, "Retries")))) {
			o.add(opt("--health-retries", retries.toString()));
		}
	}

	/**
	 * The logging driver where it is not the engine's default (always, when the default is unknown),
	 * and its options; secret-looking ones (a splunk-token) are redacted like labels.
	 */
	private static void logging(JsonNode host, String defaultLogDriver, List<DockerRunLine.Option> o) {
		String driver = text(host, "LogConfig", "Type");
		if (driver == null) {
			return;
		}
		if (!driver.equals(defaultLogDriver)) {
			o.add(opt("--log-driver", driver));
		}
		stringMap(host, "LogConfig", "Config").forEach((key, value) -> o.add(opt("--log-opt",
				key + "=" + Redactor.redactValue(key, value))));
	}

	/** A Go duration as docker run takes it: 30s, 500ms, else nanoseconds. */
	static String duration(long nanos) {
		if (nanos % 1_000_000_000L == 0) {
			return nanos / 1_000_000_000L + "s";
		}
		if (nanos % 1_000_000L == 0) {
			return nanos / 1_000_000L + "ms";
		}
		return nanos + "ns";
	}

	/** A Config text field where the container's value is not the image's (any value when the image is unknown). */
	private static String notFromImage(JsonNode config, JsonNode imageConfig, String field) {
		String value = text(config, field);
		return value == null || (imageConfig != null && value.equals(text(imageConfig, field))) ? null : value;
	}

	/** The id's first 12 characters, which Docker uses as the default hostname and as an alias. */
	private static String shortId(JsonNode inspect) {
		String id = text(inspect, "Id");
		return id == null ? null : id.substring(0, Math.min(12, id.length()));
	}

	private static void addIfPresent(List<DockerRunLine.Option> o, String flag, String value) {
		if (value != null) {
			o.add(opt(flag, value));
		}
	}

	static String restartPolicy(JsonNode host) {
		String name = text(host, "RestartPolicy", "Name");
		if (name == null) {
			return present(at(host, "RestartPolicy")) ? "no" : null;
		}
		Long retries = positive(host, "RestartPolicy", "MaximumRetryCount");
		return name.equals("on-failure") && retries != null ? name + ":" + retries : name;
	}

	private static void ports(JsonNode host, List<DockerRunLine.Option> o) {
		fields(host, "PortBindings").forEach((port, bindings) -> {
			String containerPort = port.endsWith("/tcp") ? port.substring(0, port.length() - 4) : port;
			if (!bindings.isArray() || bindings.isEmpty()) {
				o.add(opt("-p", containerPort));
				return;
			}
			for (JsonNode binding : bindings) {
				String ip = text(binding, "HostIp");
				String hostPort = text(binding, "HostPort");
				String spec;
				if (ip != null) {
					spec = (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + (hostPort == null ? "" : hostPort) + ":"
							+ containerPort;
				}
				else {
					spec = hostPort == null ? containerPort : hostPort + ":" + containerPort;
				}
				o.add(opt("-p", spec));
			}
		});
		if (Boolean.TRUE.equals(bool(host, "PublishAllPorts"))) {
			o.add(bare("-P"));
		}
	}

	/** Binds as -v, --mount entries as --mount, Tmpfs as --tmpfs; answers the destinations used. */
	private static Set<String> mounts(JsonNode host, List<DockerRunLine.Option> o) {
		Set<String> destinations = new HashSet<>();
		for (String bind : strings(host, "Binds")) {
			o.add(opt("-v", bind));
			destinations.add(DockerRunLine.volumeDestination(bind));
		}
		JsonNode mounts = at(host, "Mounts");
		if (mounts.isArray()) {
			for (JsonNode mount : mounts) {
				o.add(opt("--mount", mountSpec(mount)));
				String target = text(mount, "Target");
				if (target != null) {
					destinations.add(target);
				}
			}
		}
		stringMap(host, "Tmpfs").forEach((path, options) -> {
			o.add(opt("--tmpfs", options.isEmpty() ? path : path + ":" + options));
			destinations.add(path);
		});
		return destinations;
	}

	private static String mountSpec(JsonNode mount) {
		List<String> parts = new ArrayList<>();
		String type = text(mount, "Type");
		parts.add("type=" + (type == null ? "volume" : type));
		String source = text(mount, "Source");
		if (source != null) {
			parts.add("source=" + source);
		}
		parts.add("destination=" + text(mount, "Target"));
		if (Boolean.TRUE.equals(bool(mount, "ReadOnly"))) {
			parts.add("readonly");
		}
		String propagation = text(mount, "BindOptions", "Propagation");
		if (propagation != null) {
			parts.add("bind-propagation=" + propagation);
		}
		if (Boolean.TRUE.equals(bool(mount, "VolumeOptions", "NoCopy"))) {
			parts.add("volume-nocopy");
		}
		Long size = positive(mount, "TmpfsOptions", "SizeBytes");
		if (size != null) {
			parts.add("tmpfs-size=" + size);
		}
		Long mode = positive(mount, "TmpfsOptions", "Mode");
		if (mode != null) {
			parts.add("tmpfs-mode=" + Long.toOctalString(mode));
		}
		return String.join(",", parts);
	}

	/** {@code -v /path} volumes the user asked for (not the image's VOLUMEs, not already mounted). */
	private static void anonymousVolumes(JsonNode config, JsonNode imageConfig, Set<String> mounted,
			List<DockerRunLine.Option> o) {
		Set<String> fromImage = imageConfig == null ? Set.of() : fields(imageConfig, "Volumes").keySet();
		for (String path : fields(config, "Volumes").keySet()) {
			if (!mounted.contains(path) && !fromImage.contains(path)) {
				o.add(opt("-v", path));
			}
		}
	}

	/** The CLI inlines a seccomp profile file as JSON; a line that long helps nobody. */
	private static String readableSecurityOpt(String option) {
		int eq = option.indexOf('=');
		if (eq > 0 && option.substring(eq + 1).stripLeading().startsWith("{")) {
			return option.substring(0, eq + 1) + "PROFILE.json";
		}
		return option;
	}

	private static DockerRunLine.Option opt(String flag, String value) {
		return new DockerRunLine.Option(flag, value);
	}

	private static DockerRunLine.Option bare(String flag) {
		return new DockerRunLine.Option(flag, null);
	}
}
