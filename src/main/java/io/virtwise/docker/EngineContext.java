package io.virtwise.docker;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What mapping a container needs to know about its engine: whether published ports go through
 * the userland proxy, whether the engine applies its default seccomp profile, and its default
 * logging driver (so a run line names a driver only when it is not the default). Null = unknown.
 */
public record EngineContext(Boolean userlandProxy, Boolean seccomp, String logDriver) {

	public static final EngineContext UNKNOWN = new EngineContext(null, null, null);

	/**
	 * From {@code docker info} JSON (SecurityOptions lists {@code name=seccomp,...}; LoggingDriver is
	 * the default) and the proxy setting.
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
		return new EngineContext(userlandProxy, seccomp, DockerJson.text(info, "LoggingDriver"));
	}
}
