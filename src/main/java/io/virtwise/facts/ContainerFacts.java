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
 * @param autoRemove started with {@code --rm}: stopping it removes it and its anonymous volumes
 * @param imageId the image the container runs ({@code sha256:...}), which its image name may no longer point to
 * @param cpuPeriods CFS enforcement periods since the container started (cgroup cpu.stat nr_periods)
 * @param cpuThrottledPeriods of those, the periods in which its CPU quota ran out (nr_throttled)
 * @param logDriver its logging driver (json-file, local, journald...)
 * @param logMaxSize the json-file/local {@code max-size} log option, {@code ""} when not set
 * @param writeBytesPerSecond what its processes wrote per second over a short live window
 * @param layerFilesOpenForWrite files its processes hold open for writing in the writable layer
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
		String runCommand,
		Boolean autoRemove,
		String imageId,
		Long cpuPeriods,
		Long cpuThrottledPeriods,
		String logDriver,
		String logMaxSize,
		Double writeBytesPerSecond,
		List<String> layerFilesOpenForWrite) {

	public ContainerFacts {
		cpusetCpus = cpusetCpus == null ? null : List.copyOf(cpusetCpus);
		ports = ports == null ? null : List.copyOf(ports);
		mounts = mounts == null ? null : List.copyOf(mounts);
		envNames = envNames == null ? null : List.copyOf(envNames);
		labels = labels == null ? null : Map.copyOf(labels);
		layerFilesOpenForWrite = layerFilesOpenForWrite == null ? null : List.copyOf(layerFilesOpenForWrite);
	}

	/** What the engine's inspect data gives; the live readings (throttling, writes) unknown. */
	public ContainerFacts(String id, String name, String image, String state, String networkMode, List<String> cpusetCpus,
			Double cpuLimit, Long memoryLimitBytes, List<PortBinding> ports, List<MountInfo> mounts, Long writableLayerBytes,
			Boolean privileged, String seccompProfile, String restartPolicy, String ipAddress, List<String> envNames,
			Map<String, String> labels, String runCommand) {
		this(id, name, image, state, networkMode, cpusetCpus, cpuLimit, memoryLimitBytes, ports, mounts, writableLayerBytes,
				privileged, seccompProfile, restartPolicy, ipAddress, envNames, labels, runCommand, null, null, null, null, null,
				null, null, null);
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
