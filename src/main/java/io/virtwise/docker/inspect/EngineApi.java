package io.virtwise.docker.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import io.virtwise.facts.FactsJson;

/**
 * The engine's own JSON, fetched through docker-java's transport. docker-java's models drop
 * fields they do not know (DefaultRuntime, for one), so we read what {@code docker inspect} and
 * {@code docker info} print, byte for byte, and map it exactly as an imported file is mapped.
 * Every answer has a time limit, the client's ({@link BoundedHttpClient}): a dockerd that hangs
 * after we connected fails the command in seconds instead of holding the shell (and
 * {@code advise}, which asks for Docker facts) for as long as it stays hung.
 */
final class EngineApi {

	private final DockerHttpClient http;
	private volatile String prefix;

	EngineApi(DockerClient client) {
		if (!(client instanceof DockerClientImpl impl)) {
			throw new IllegalArgumentException("need a client from DockerConnector, not " + client.getClass().getName());
		}
		this.http = impl.getHttpClient();
	}

	/** {@code /version}, unversioned: it also tells which API version to speak. */
	JsonNode version() {
		return get("/version", false);
	}

	JsonNode info() {
		return get(versioned("/info"), false);
	}

	/** Every container, running or not, as {@code docker ps -a} lists them. */
	JsonNode containers() {
		return get(versioned("/containers/json?all=1"), false);
	}

	/** {@code docker inspect --size ID}, or null when the container is gone. */
	JsonNode inspect(String id) {
		return get(versioned("/containers/" + id + "/json?size=1"), true);
	}

	/** {@code docker image inspect ID}, or null when the image is gone. */
	JsonNode image(String id) {
		return get(versioned("/images/" + id + "/json"), true);
	}

	private String versioned(String path) {
		String p = prefix;
		if (p == null) {
			String api = DockerConnector.apiToSpeak(version());
			p = api == null ? "" : "/v" + api;
			prefix = p;
		}
		return p + path;
	}

	/** An overrun throws DockerUnavailableException, on which DockerAccess drops the connection. */
	private JsonNode get(String path, boolean missingIsNull) {
		DockerHttpClient.Request request = DockerHttpClient.Request.builder()
			.method(DockerHttpClient.Request.Method.GET)
			.path(path)
			.build();
		try (DockerHttpClient.Response response = http.execute(request)) {
			int status = response.getStatusCode();
			if (status == 404 && missingIsNull) {
				return null;
			}
			if (status != 200) {
				throw new DockerUnavailableException("Docker engine answered GET " + path + " with HTTP " + status
						+ message(response.getBody()), null);
			}
			return FactsJson.MAPPER.readTree(response.getBody());
		}
		catch (DockerUnavailableException e) {
			throw e;
		}
		catch (IOException | RuntimeException e) {
			String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
			throw new DockerUnavailableException("Docker engine stopped answering (" + why + ")", e);
		}
	}

	/** The engine's error message ({"message": "..."}), for the one line the user sees. */
	private static String message(InputStream body) {
		try {
			String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
			String message = FactsJson.MAPPER.readTree(text).path("message").asText("");
			return message.isBlank() ? "" : ": " + message.lines().findFirst().orElse("");
		}
		catch (IOException | RuntimeException e) {
			return "";
		}
	}
}
