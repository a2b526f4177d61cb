package io.virtwise.docker;

import static io.virtwise.docker.DockerJson.at;
import static io.virtwise.docker.DockerJson.bool;
import static io.virtwise.docker.DockerJson.fields;
import static io.virtwise.docker.DockerJson.positive;
import static io.virtwise.docker.DockerJson.present;
import static io.virtwise.docker.DockerJson.stringMap;
import static io.virtwise.docker.DockerJson.strings;
import static io.virtwise.docker.DockerJson.text;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.Redactor;

/**
 * Rebuilds a container's own {@code docker run} line from its inspect JSON. What came from the
 * image (its command, environment, labels, volumes) is left out when the image's config is
 * known, so the line shows what the user asked for; without it the line is longer but still
 * runs the same container.
 */
final class RunLineRebuilder {

	private RunLineRebuilder() {
	}

	/**
	 * @param inspect one element of {@code docker inspect} output
	 * @param imageConfig the image's {@code Config} object, or null when unknown
	 */
	static DockerRunLine rebuild(JsonNode inspect, JsonNode imageConfig) {
		JsonNode config = at(inspect, "Config");
		JsonNode host = at(inspect, "HostConfig");
		List<DockerRunLine.Option> o = new ArrayList<>();

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
		String network = text(host, "NetworkMode");
		if (network != null && !network.equals("default") && !network.equals("bridge")) {
			o.add(opt("--network", network));
		}
		ports(host, o);
		Set<String> mounted = mounts(host, o);
		anonymousVolumes(config, imageConfig, mounted, o);

		String cpuset = text(host, "CpusetCpus");
		if (cpuset != null) {
			o.add(opt("--cpuset-cpus", cpuset));
		}
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
		Long memory = positive(host, "Memory");
		if (memory != null) {
			o.add(opt("--memory", DockerRunLine.bytes(memory)));
		}
		String restart = restartPolicy(host);
		if (restart != null && !restart.equals("no")) {
			o.add(opt("--restart", restart));
		}
		if (Boolean.TRUE.equals(bool(host, "Privileged"))) {
			o.add(bare("--privileged"));
		}
		for (String security : strings(host, "SecurityOpt")) {
			o.add(opt("--security-opt", readableSecurityOpt(security)));
		}

		List<String> args = new ArrayList<>();
		List<String> entrypoint = strings(config, "Entrypoint");
		boolean ownEntrypoint = !entrypoint.isEmpty()
				&& (imageConfig == null || !entrypoint.equals(strings(imageConfig, "Entrypoint")));
		if (ownEntrypoint) {
			o.add(opt("--entrypoint", entrypoint.get(0)));
			args.addAll(entrypoint.subList(1, entrypoint.size()));
		}

		Set<String> imageEnv = imageConfig == null ? Set.of() : new HashSet<>(strings(imageConfig, "Env"));
		for (String entry : strings(config, "Env")) {
			if (!imageEnv.contains(entry)) {
				o.add(opt("-e", SecretRedaction.envName(entry) + "=" + SecretRedaction.REDACTED));
			}
		}
		Map<String, String> imageLabels = imageConfig == null ? Map.of() : stringMap(imageConfig, "Labels");
		stringMap(config, "Labels").forEach((key, value) -> {
			if (!value.equals(imageLabels.get(key))) {
				o.add(opt("--label", key + "=" + SecretRedaction.labelValue(key, value)));
			}
		});

		List<String> cmd = strings(config, "Cmd");
		// An own entrypoint resets the image's command, so the command must then be spelled out.
		if (ownEntrypoint || imageConfig == null || !cmd.equals(strings(imageConfig, "Cmd"))) {
			args.addAll(cmd);
		}
		String image = text(config, "Image");
		// a password or token on the command line is as secret as one in the environment
		return new DockerRunLine(o, image == null ? text(inspect, "Image") : image, Redactor.redactArgs(args));
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
		Long size = positive(mount, "TmpfsOptions", "SizeBytes");
		if (size != null) {
			parts.add("tmpfs-size=" + size);
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
