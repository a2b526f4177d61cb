package io.virtwise.facts;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One container as the engine describes it: only what rules and fixes read. Environment
 * variables are kept by name only; their values never enter the facts.
 *
 * @param writableLayerBytes bytes written into the container's writable (overlay upper) layer
 * @param runCommand the container's own {@code docker run} line rebuilt from its inspect data,
 *        with environment values redacted, for fixes to edit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerFacts(
		String id,
		String name,
		String image,
		String state,
		String networkMode,
		List<String> cpusetCpus,
		Double cpuLimit,
		Long memoryLimitBytes,
		List<PortBinding> ports,
		List<MountInfo> mounts,
		Long writableLayerBytes,
		Boolean privileged,
		String seccompProfile,
		String restartPolicy,
		String ipAddress,
		List<String> envNames,
		Map<String, String> labels,
		String runCommand) {

	public ContainerFacts {
		cpusetCpus = cpusetCpus == null ? null : List.copyOf(cpusetCpus);
		ports = ports == null ? null : List.copyOf(ports);
		mounts = mounts == null ? null : List.copyOf(mounts);
		envNames = envNames == null ? null : List.copyOf(envNames);
		labels = labels == null ? null : Map.copyOf(labels);
	}

	/** The fields the host rules read; the rest unknown. */
	public ContainerFacts(String id, String name, String image, String state, String networkMode,
			List<String> cpusetCpus, Double cpuLimit, Long memoryLimitBytes) {
		this(id, name, image, state, networkMode, cpusetCpus, cpuLimit, memoryLimitBytes, null, null, null, null,
				null, null, null, null, null, null);
	}

	/** Published ports, empty when none (never null to rules that count them). */
	public int publishedPortCount() {
		return ports == null ? 0 : (int) ports.stream().filter(p -> p.hostPort() != null).count();
	}
}
