package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The Docker engine: what {@code docker version} and {@code docker info} say that matters for speed. */
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
		Integer containersRunning) {
}
