package io.virtwise.probe.docker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One {@code docker run -d}: the single description from which both the container is created
 * through the API and its command line is written into the results, so what is recorded is what
 * ran.
 *
 * @param ports published ports as {@code HOST_IP::CONTAINER_PORT} (the engine picks the host port)
 * @param mounts {@code SOURCE:DESTINATION}, a host path or a volume name
 */
public record DockerRun(String name, Map<String, String> labels, String image, List<String> command, String network,
		String cpusetCpus, List<String> ports, List<String> mounts, String volumesFrom, List<String> securityOpts,
		List<String> capAdd, String pidMode) {

	private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@%+^-]+");

	public DockerRun {
		labels = new LinkedHashMap<>(labels);
		command = List.copyOf(command);
		ports = List.copyOf(ports);
		mounts = List.copyOf(mounts);
		securityOpts = List.copyOf(securityOpts);
		capAdd = List.copyOf(capAdd);
	}

	public static DockerRun of(String name, Map<String, String> labels, String image, String... command) {
		return new DockerRun(name, labels, image, List.of(command), null, null, List.of(), List.of(), null, List.of(),
				List.of(), null);
	}

	public DockerRun label(String key, String value) {
		Map<String, String> more = new LinkedHashMap<>(labels);
		more.put(key, value);
		return new DockerRun(name, more, image, command, network, cpusetCpus, ports, mounts, volumesFrom, securityOpts, capAdd, pidMode);
	}

	public DockerRun network(String mode) {
		return new DockerRun(name, labels, image, command, mode, cpusetCpus, ports, mounts, volumesFrom, securityOpts, capAdd, pidMode);
	}

	public DockerRun cpus(String cpuset) {
		return new DockerRun(name, labels, image, command, network, cpuset, ports, mounts, volumesFrom, securityOpts, capAdd, pidMode);
	}

	public DockerRun publish(String hostIp, int containerPort) {
		List<String> more = new ArrayList<>(ports);
		more.add(hostIp + "::" + containerPort);
		return new DockerRun(name, labels, image, command, network, cpusetCpus, more, mounts, volumesFrom, securityOpts, capAdd, pidMode);
	}

	public DockerRun mount(String source, String destination) {
		List<String> more = new ArrayList<>(mounts);
		more.add(source + ":" + destination);
		return new DockerRun(name, labels, image, command, network, cpusetCpus, ports, more, volumesFrom, securityOpts, capAdd, pidMode);
	}

	public DockerRun volumesFrom(String container) {
		return new DockerRun(name, labels, image, command, network, cpusetCpus, ports, mounts, container, securityOpts, capAdd, pidMode);
	}

	public DockerRun securityOpt(String option) {
		List<String> more = new ArrayList<>(securityOpts);
		more.add(option);
		return new DockerRun(name, labels, image, command, network, cpusetCpus, ports, mounts, volumesFrom, more, capAdd, pidMode);
	}

	public DockerRun capAdd(String capability) {
		List<String> more = new ArrayList<>(capAdd);
		more.add(capability);
		return new DockerRun(name, labels, image, command, network, cpusetCpus, ports, mounts, volumesFrom, securityOpts, more, pidMode);
	}

	public DockerRun pid(String mode) {
		return new DockerRun(name, labels, image, command, network, cpusetCpus, ports, mounts, volumesFrom, securityOpts, capAdd, mode);
	}

	/** The equivalent {@code docker run} line, quoted for a POSIX shell. */
	public String commandLine() {
		List<String> words = new ArrayList<>(List.of("docker", "run", "-d", "--name", name));
		labels.forEach((k, v) -> words.addAll(List.of("--label", k + "=" + v)));
		if (network != null) {
			words.addAll(List.of("--network", network));
		}
		if (cpusetCpus != null) {
			words.addAll(List.of("--cpuset-cpus", cpusetCpus));
		}
		ports.forEach(p -> words.addAll(List.of("-p", p)));
		mounts.forEach(m -> words.addAll(List.of("-v", m)));
		if (volumesFrom != null) {
			words.addAll(List.of("--volumes-from", volumesFrom));
		}
		securityOpts.forEach(s -> words.addAll(List.of("--security-opt", s)));
		capAdd.forEach(c -> words.addAll(List.of("--cap-add", c)));
		if (pidMode != null) {
			words.addAll(List.of("--pid", pidMode));
		}
		words.add(image);
		words.addAll(command);
		return join(words);
	}

	public static String join(List<String> words) {
		return words.stream().map(DockerRun::quote).collect(Collectors.joining(" "));
	}

	static String quote(String word) {
		if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
			return word;
		}
		return "'" + word.replace("'", "'\\''") + "'";
	}
}
