package io.virtwise.docker.inspect;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What mapping a container needs to know about its engine: whether published ports go through
 * the userland proxy, whether the engine applies its default seccomp profile, its default logging
 * driver and runtime (so a run line names them only when they are not the defaults), and the names
 * of the engine's containers by id (so {@code --network container:} names the other container, not
 * its id, which a re-created container does not keep). Null = unknown.
 */
public record EngineContext(Boolean userlandProxy, Boolean seccomp, String logDriver, String defaultRuntime,
		Map<String, String> containerNames) {

	public static final EngineContext UNKNOWN = new EngineContext(null, null, null, null, Map.of());

	public EngineContext {
		containerNames = containerNames == null ? Map.of() : Map.copyOf(containerNames);
	}

	/** The same engine with its containers' names by full id. */
	public EngineContext withContainerNames(Map<String, String> names) {
		return new EngineContext(userlandProxy, seccomp, logDriver, defaultRuntime, names);
	}

	/**
	 * From {@code docker info} JSON (SecurityOptions lists {@code name=seccomp,...}; LoggingDriver and
	 * DefaultRuntime are the defaults) and the proxy setting; no containers' names yet.
	 */
	public static EngineContext of(JsonNode info, Boolean userlandProxy) {
		Boolean seccomp = null;
		JsonNode options = DockerJson.at(info, "SecurityOptions");
		if (options.isArray()) {
			seccomp = false;
			for (JsonNode option : options) {
				if (option.asText().startsWith("name=seccomp")) {
					seccomp = true;
				}
			}
		}
		return new EngineContext(userlandProxy, seccomp, DockerJson.text(info, "LoggingDriver"),
				DockerJson.text(info, "DefaultRuntime"), Map.of());
	}
}
