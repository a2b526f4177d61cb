package io.virtwise.docker;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What mapping a container needs to know about its engine: whether published ports go through
 * the userland proxy, and whether the engine applies its default seccomp profile. Null = unknown.
 */
public record EngineContext(Boolean userlandProxy, Boolean seccomp) {

	public static final EngineContext UNKNOWN = new EngineContext(null, null);

	/** From {@code docker info} JSON (SecurityOptions lists {@code name=seccomp,...}) and the proxy setting. */
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
		return new EngineContext(userlandProxy, seccomp);
	}
}
