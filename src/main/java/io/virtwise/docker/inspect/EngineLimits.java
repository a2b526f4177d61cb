package io.virtwise.docker.inspect;

import java.time.Duration;

import com.github.dockerjava.transport.DockerHttpClient;

/**
 * How long the engine gets to answer a request before it counts as hung (see
 * {@link BoundedHttpClient}).
 *
 * @param quick reads (GET): ping, version, info, inspect, lists, which a live engine answers
 *        from memory, and streams (logs), whose headers it sends at once
 * @param usual what changes something: create, start, exec, wait
 * @param heavy what walks or writes a layer: {@code inspect --size}, commit, and removals
 */
public record EngineLimits(Duration quick, Duration usual, Duration heavy) {

	public static final EngineLimits DEFAULT = new EngineLimits(Duration.ofSeconds(15), Duration.ofSeconds(60),
			Duration.ofMinutes(2));

	/** One limit for every request (tests). */
	public static EngineLimits all(Duration limit) {
		return new EngineLimits(limit, limit, limit);
	}

	Duration of(DockerHttpClient.Request request) {
		String path = request.path();
		int query = path.indexOf('?');
		String bare = query < 0 ? path : path.substring(0, query);
		if ("DELETE".equals(request.method()) || bare.endsWith("/commit") || path.matches(".*[?&]size=(1|true)(&.*)?")) {
			return heavy;
		}
		if ("GET".equals(request.method())) {
			return quick;
		}
		return usual;
	}
}
