package io.virtwise.docker.inspect;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.virtwise.facts.FactsJson;

/**
 * Connects to a Docker engine through {@code --docker URI}, DOCKER_HOST or the default socket.
 * docker-java does no version negotiation, so we ask the engine's unversioned {@code /version}
 * first and pin the API version to what it speaks: 1.41 on Debian's 20.10, 1.47 on Docker 29,
 * which refuses clients older than 1.44.
 */
public final class DockerConnector {

	public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

	/** The newest API version this client's models are known to match. */
	static final String NEWEST_SPOKEN = "1.47";

	private DockerConnector() {
	}

	/** The engine address: the explicit URI, else DOCKER_HOST, else the default socket. */
	public static String resolveHost(String explicit) {
		if (explicit != null && !explicit.isBlank()) {
			return explicit;
		}
		String env = System.getenv("DOCKER_HOST");
		return env != null && !env.isBlank() ? env : DEFAULT_HOST;
	}

	public static DockerClient connect(String explicitHost) {
		return connect(explicitHost, EngineLimits.DEFAULT);
	}

	/**
	 * A client whose every request has a limit ({@link BoundedHttpClient}): a dockerd that accepts
	 * connections but is hung (stopped, deadlocked, its disk stalled) fails a command in seconds,
	 * starting with the {@code /version} asked here, instead of holding the shell for as long as it
	 * stays hung.
	 */
	public static DockerClient connect(String explicitHost, EngineLimits limits) {
		String host = resolveHost(explicitHost);
		checkSocket(host);
		String pinned = apiToSpeak(versionWithin(host, limits.quick()));
		DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
			.withDockerHost(host)
			.withApiVersion(RemoteApiVersion.parseConfig(pinned))
			.build();
		return DockerClientImpl.getInstance(config, new BoundedHttpClient(httpClient(host, Duration.ofMinutes(5)), limits));
	}

	/**
	 * {@code /version}, waited for at most {@code limit}. Closing the client afterwards ends a read
	 * still stuck on a hung engine.
	 */
	private static JsonNode versionWithin(String host, Duration limit) {
		DockerHttpClient probe = new BoundedHttpClient(httpClient(host, limit), EngineLimits.all(limit));
		try {
			return engineVersion(probe, host);
		}
		catch (DockerUnavailableException e) {
			if (e.getCause() instanceof TimeoutException) {
				throw new DockerUnavailableException(hung("Docker engine at " + host
						+ " accepted the connection but did not answer /version within " + seconds(limit)), e);
			}
			throw e;
		}
		finally {
			closeQuietly(probe);
		}
	}

	/** The one line a hung engine gets, wherever it was noticed. */
	static String hung(String noAnswer) {
		return noAnswer + ": dockerd is hung or overloaded (restart it: 'systemctl restart docker', or scripts/lab-up)";
	}

	/** "15 s", or "0.5 s" for the short limits tests use. */
	static String seconds(Duration limit) {
		long millis = limit.toMillis();
		return (millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0)) + " s";
	}

	private static void closeQuietly(DockerHttpClient client) {
		try {
			client.close();
		}
		catch (IOException | RuntimeException e) {
			// the connection was only for /version
		}
	}

	private static DockerHttpClient httpClient(String host, Duration responseLimit) {
		return new ApacheDockerHttpClient.Builder()
			.dockerHost(URI.create(host))
			.connectionTimeout(Duration.ofSeconds(5))
			.responseTimeout(responseLimit)
			.maxConnections(32)
			.build();
	}

	/**
	 * The API version to speak to an engine, from its {@code /version}: its own, capped at the newest
	 * we were checked against, but never below its MinAPIVersion (Docker 29 answers older clients
	 * with HTTP 400). Null when it does not say.
	 */
	static String apiToSpeak(JsonNode version) {
		String api = version.path("ApiVersion").asText("");
		if (api.isEmpty()) {
			return null;
		}
		String speak = older(api, NEWEST_SPOKEN);
		String min = version.path("MinAPIVersion").asText("");
		return !min.isEmpty() && compare(speak, min) < 0 ? min : speak;
	}

	private static JsonNode engineVersion(DockerHttpClient client, String host) {
		DockerHttpClient.Request request = DockerHttpClient.Request.builder()
			.method(DockerHttpClient.Request.Method.GET)
			.path("/version")
			.build();
		try (DockerHttpClient.Response response = client.execute(request)) {
			if (response.getStatusCode() != 200) {
				throw new DockerUnavailableException("Docker engine at " + host + " answered /version with HTTP "
						+ response.getStatusCode(), null);
			}
			JsonNode version = FactsJson.MAPPER.readTree(response.getBody());
			if (apiToSpeak(version) == null) {
				throw new DockerUnavailableException("Docker engine at " + host + " did not report its API version", null);
			}
			return version;
		}
		catch (IOException | RuntimeException e) {
			if (e instanceof DockerUnavailableException d) {
				throw d;
			}
			throw unavailable(host, e);
		}
	}

	/**
	 * An address docker-java cannot use, a missing or a forbidden socket says so plainly, before
	 * docker-java's stack traces can (for {@code --docker garbage} it failed on a null scheme).
	 */
	private static void checkSocket(String host) {
		String scheme = host.contains("://") ? host.substring(0, host.indexOf("://")) : null;
		if (!"unix".equals(scheme) && !"tcp".equals(scheme)) {
			throw new IllegalArgumentException("not a Docker engine address: '" + host
					+ "' (expected unix:///PATH/docker.sock or tcp://HOST:PORT)");
		}
		if (!host.startsWith("unix://")) {
			return;
		}
		Path socket = Path.of(URI.create(host).getPath());
		if (!Files.exists(socket)) {
			throw new DockerUnavailableException("Docker engine not running: no socket at " + socket
					+ " (start it with scripts/lab-up or 'dockerd &', or point --docker / DOCKER_HOST elsewhere)", null);
		}
		if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
			throw new DockerUnavailableException("not permitted to use the Docker socket " + socket
					+ " (run as root or add your user to the 'docker' group)", new AccessDeniedException(socket.toString()));
		}
	}

	private static DockerUnavailableException unavailable(String host, Throwable cause) {
		String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
		return new DockerUnavailableException("Docker engine at " + host + " is not answering (" + why
				+ "); is dockerd running? (scripts/lab-up starts one)", cause);
	}

	/** The older of two "major.minor" API versions. */
	static String older(String a, String b) {
		return compare(a, b) <= 0 ? a : b;
	}

	static int compare(String a, String b) {
		String[] x = a.split("\\.");
		String[] y = b.split("\\.");
		for (int i = 0; i < Math.max(x.length, y.length); i++) {
			int p = i < x.length ? Integer.parseInt(x[i]) : 0;
			int q = i < y.length ? Integer.parseInt(y[i]) : 0;
			if (p != q) {
				return Integer.compare(p, q);
			}
		}
		return 0;
	}
}
