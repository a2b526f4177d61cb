package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The Docker engine: what {@code docker version} and {@code docker info} say that matters for speed.
 *
 * @param rootFilesystem the filesystem type of {@code rootDir} in the host's mount table (ext4, xfs...),
 *        known only where the engine is local
 * @param supportsDType docker info's "Supports d_type" (overlay drivers report it): whether the
 *        filesystem under {@code rootDir} gives file types in directory entries, which overlay2 needs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EngineFacts(
		String version,
		String apiVersion,
		String storageDriver,
		String backingFilesystem,
		String cgroupDriver,
		String cgroupVersion,
		Boolean userlandProxy,
		Boolean iptables,
		String loggingDriver,
		String defaultRuntime,
		String rootDir,
		Integer containersRunning,
		String rootFilesystem,
		Boolean supportsDType) {

	/** What docker info and version give, the root's filesystem and d_type unknown. */
	public EngineFacts(String version, String apiVersion, String storageDriver, String backingFilesystem, String cgroupDriver,
			String cgroupVersion, Boolean userlandProxy, Boolean iptables, String loggingDriver, String defaultRuntime,
			String rootDir, Integer containersRunning) {
		this(version, apiVersion, storageDriver, backingFilesystem, cgroupDriver, cgroupVersion, userlandProxy, iptables,
				loggingDriver, defaultRuntime, rootDir, containersRunning, null, null);
	}

	public EngineFacts withRootFilesystem(String filesystem) {
		return new EngineFacts(version, apiVersion, storageDriver, backingFilesystem, cgroupDriver, cgroupVersion, userlandProxy,
				iptables, loggingDriver, defaultRuntime, rootDir, containersRunning, filesystem, supportsDType);
	}
}
