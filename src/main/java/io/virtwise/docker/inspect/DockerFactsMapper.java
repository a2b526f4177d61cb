package io.virtwise.docker.inspect;

import static io.virtwise.docker.inspect.DockerJson.at;
import static io.virtwise.docker.inspect.DockerJson.bool;
import static io.virtwise.docker.inspect.DockerJson.fields;
import static io.virtwise.docker.inspect.DockerJson.number;
import static io.virtwise.docker.inspect.DockerJson.positive;
import static io.virtwise.docker.inspect.DockerJson.stringMap;
import static io.virtwise.docker.inspect.DockerJson.strings;
import static io.virtwise.docker.inspect.DockerJson.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.redact.Redactor;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.EngineFacts;
import io.virtwise.facts.MountInfo;
import io.virtwise.facts.PortBinding;
import io.virtwise.host.CgroupCpuReader;

/**
 * The one mapping from Docker's own JSON ({@code docker inspect}, {@code docker info},
 * {@code /version}) to facts, used for live engines and imported files alike. Docker's "not
 * set" (0, "", null) becomes null here: no CPU limit is {@code cpuLimit == null}, never 0. An
 * unpinned container has an empty {@code cpusetCpus}. Environment values are never read into
 * the facts; secret-looking label values are redacted.
 */
public final class DockerFactsMapper {

	public static final String PATH_PROXY = "docker-proxy";
	public static final String PATH_DNAT = "dnat";

	private DockerFactsMapper() {
	}

	/**
	 * @param info {@code docker info} JSON
	 * @param version {@code /version} JSON, or null (then the API version is unknown)
	 * @param daemon what dockerd's command line and daemon.json say, or {@link DaemonSettings#UNKNOWN}
	 */
	public static EngineFacts engine(JsonNode info, JsonNode version, DaemonSettings daemon) {
		String serverVersion = text(version, "Version");
		return new EngineFacts(
				serverVersion != null ? serverVersion : text(info, "ServerVersion"),
				text(version, "ApiVersion"),
				text(info, "Driver"),
				driverStatus(info, "Backing Filesystem"),
				text(info, "CgroupDriver"),
				text(info, "CgroupVersion"),
				daemon.userlandProxy(),
				daemon.iptables(),
				text(info, "LoggingDriver"),
				text(info, "DefaultRuntime"),
				text(info, "DockerRootDir"),
				intOrNull(number(info, "ContainersRunning")),
				null,
				goBool(driverStatus(info, "Supports d_type")));
	}

	/**
	 * @param inspect one element of {@code docker inspect} output (with {@code --size} for the writable layer)
	 * @param engine what is known of the engine that runs it
	 * @param imageConfig the image's {@code Config}, to leave inherited settings out of the run line; may be null
	 */
	public static ContainerFacts container(JsonNode inspect, EngineContext engine, JsonNode imageConfig) {
		return container(inspect, engine, imageConfig, null);
	}

	/**
	 * The same, with what the container's cgroup says live.
	 *
	 * @param cfs its CFS bandwidth counters (cpu.stat), or null when they could not be read
	 */
	public static ContainerFacts container(JsonNode inspect, EngineContext engine, JsonNode imageConfig,
			CgroupCpuReader.CfsStat cfs) {
		JsonNode config = at(inspect, "Config");
		JsonNode host = at(inspect, "HostConfig");
		String networkMode = networkMode(text(host, "NetworkMode"));
		Boolean privileged = bool(host, "Privileged");
		return new ContainerFacts(
				text(inspect, "Id"),
				name(inspect),
				image(inspect),
				text(inspect, "State", "Status"),
				networkMode,
				cpuset(text(host, "CpusetCpus")),
				cpuLimit(host),
				positive(host, "Memory"),
				ports(inspect, networkMode, engine.userlandProxy()),
				mounts(inspect),
				number(inspect, "SizeRw"),
				privileged,
				seccomp(strings(host, "SecurityOpt"), privileged, engine.seccomp()),
				RunLineRebuilder.restartPolicy(host),
				ipAddress(inspect, networkMode),
				strings(config, "Env").stream().map(DockerFactsMapper::envName).toList(),
				Redactor.redactValues(stringMap(config, "Labels")),
				RunLineRebuilder.rebuild(inspect, imageConfig, engine).render(),
				bool(host, "AutoRemove"),
				text(inspect, "Image"),
				cfs == null ? null : cfs.periods(),
				cfs == null ? null : cfs.throttledPeriods(),
				text(host, "LogConfig", "Type"),
				logMaxSize(host),
				null, null);
	}

	/**
	 * The max-size log option, {@code ""} when the container has none. Daemon log-opts are merged in
	 * when the container is created (for the daemon's own log driver), so this is what it runs with.
	 */
	private static String logMaxSize(JsonNode host) {
		if (text(host, "LogConfig", "Type") == null) {
			return null;
		}
		String size = stringMap(host, "LogConfig", "Config").get("max-size");
		return size == null ? "" : size;
	}

	/** The container's name without Docker's leading slash. */
	public static String name(JsonNode inspect) {
		String name = text(inspect, "Name");
		return name != null && name.startsWith("/") ? name.substring(1) : name;
	}

	/** The image as the user named it (Config.Image), not the sha256 id. */
	static String image(JsonNode inspect) {
		String image = text(inspect, "Config", "Image");
		return image != null ? image : text(inspect, "Image");
	}

	/** "default" is what the CLI sends when no --network is given: the bridge on Linux. */
	static String networkMode(String mode) {
		return mode == null ? null : mode.equals("default") ? "bridge" : mode;
	}

	private static List<String> cpuset(String cpuset) {
		if (cpuset == null) {
			return List.of();
		}
		return Arrays.stream(cpuset.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
	}

	private static Double cpuLimit(JsonNode host) {
		Long nano = positive(host, "NanoCpus");
		if (nano != null) {
			return nano / 1e9;
		}
		Long quota = positive(host, "CpuQuota");
		if (quota == null) {
			return null;
		}
		Long period = positive(host, "CpuPeriod");
		// The kernel's default CFS period is 100 ms when only a quota is given.
		return quota / (double) (period == null ? 100_000L : period);
	}

	private static List<PortBinding> ports(JsonNode inspect, String networkMode, Boolean userlandProxy) {
		if ("host".equals(networkMode)) {
			// Host networking has no published ports: the container's sockets are the host's.
			return List.of();
		}
		// Running containers show the ports actually bound; stopped ones only what was asked for.
		Map<String, JsonNode> bound = fields(inspect, "NetworkSettings", "Ports");
		if (bound.isEmpty()) {
			bound = fields(inspect, "HostConfig", "PortBindings");
		}
		Set<String> keys = new LinkedHashSet<>(bound.keySet());
		keys.addAll(fields(inspect, "Config", "ExposedPorts").keySet());
		String path = userlandProxy == null ? null : userlandProxy ? PATH_PROXY : PATH_DNAT;
		List<PortBinding> out = new ArrayList<>();
		for (String key : keys) {
			int slash = key.indexOf('/');
			Integer containerPort = parsePort(slash < 0 ? key : key.substring(0, slash));
			String protocol = slash < 0 ? "tcp" : key.substring(slash + 1);
			JsonNode bindings = bound.get(key);
			if (bindings == null || !bindings.isArray() || bindings.isEmpty()) {
				out.add(new PortBinding(containerPort, protocol, null, null, null));
				continue;
			}
			Set<String> seen = new LinkedHashSet<>();
			for (JsonNode binding : bindings) {
				String ip = text(binding, "HostIp");
				Integer hostPort = parsePort(text(binding, "HostPort"));
				// Docker 20.10+ lists one publication twice, on 0.0.0.0 and on ::; it is one port.
				if ("::".equals(ip) && seen.contains("0.0.0.0:" + hostPort)) {
					continue;
				}
				seen.add(ip + ":" + hostPort);
				out.add(new PortBinding(containerPort, protocol, ip, hostPort, path));
			}
		}
		return out;
	}

	private static Integer parsePort(String text) {
		if (text == null) {
			return null;
		}
		try {
			return Integer.valueOf(text.trim());
		}
		catch (NumberFormatException e) {
			return null;
		}
	}

	/** Mounts as inspect lists them, plus --tmpfs mounts, which only HostConfig.Tmpfs records. */
	private static List<MountInfo> mounts(JsonNode inspect) {
		Map<String, MountInfo> byDestination = new LinkedHashMap<>();
		JsonNode mounts = at(inspect, "Mounts");
		if (mounts.isArray()) {
			for (JsonNode m : mounts) {
				Boolean rw = bool(m, "RW");
				String destination = text(m, "Destination");
				byDestination.put(destination, new MountInfo(text(m, "Type"), text(m, "Name"), text(m, "Source"),
						destination, rw == null ? null : !rw));
			}
		}
		stringMap(inspect, "HostConfig", "Tmpfs").forEach((path, options) -> byDestination.putIfAbsent(path,
				new MountInfo("tmpfs", null, null, path, Arrays.asList(options.split(",")).contains("ro"))));
		// Sorted by destination: inspect lists them in Go's random map order.
		return byDestination.values().stream()
			.sorted(java.util.Comparator.comparing(m -> m.destination() == null ? "" : m.destination()))
			.toList();
	}

	static String seccomp(List<String> securityOpt, Boolean privileged, Boolean engineSeccomp) {
		for (String option : securityOpt) {
			if (option.startsWith("seccomp=") || option.startsWith("seccomp:")) {
				String profile = option.substring("seccomp=".length()).strip();
				return profile.startsWith("{") ? "custom" : profile;
			}
		}
		if (Boolean.TRUE.equals(privileged)) {
			// --privileged turns seccomp off whatever the engine's default.
			return "unconfined";
		}
		return engineSeccomp == null ? null : engineSeccomp ? "default" : "unconfined";
	}

	private static String ipAddress(JsonNode inspect, String networkMode) {
		Map<String, JsonNode> networks = fields(inspect, "NetworkSettings", "Networks");
		if (networkMode != null && networks.containsKey(networkMode)) {
			return text(networks.get(networkMode), "IPAddress");
		}
		for (JsonNode network : networks.values()) {
			String ip = text(network, "IPAddress");
			if (ip != null) {
				return ip;
			}
		}
		return text(inspect, "NetworkSettings", "IPAddress");
	}

	private static String driverStatus(JsonNode info, String key) {
		JsonNode status = at(info, "DriverStatus");
		if (status.isArray()) {
			for (JsonNode pair : status) {
				if (pair.isArray() && pair.size() >= 2 && key.equals(pair.get(0).asText())) {
					return pair.get(1).asText();
				}
			}
		}
		return null;
	}

	private static Boolean goBool(String text) {
		return text == null ? null : text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null;
	}

	private static Integer intOrNull(Long value) {
		return value == null ? null : value.intValue();
	}

	/** The name of a {@code NAME=value} environment entry: values are never kept, only which variables are set. */
	static String envName(String entry) {
		int eq = entry.indexOf('=');
		return eq < 0 ? entry : entry.substring(0, eq);
	}
}
