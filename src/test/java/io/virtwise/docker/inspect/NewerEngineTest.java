package io.virtwise.docker.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Docker 29 refuses clients that speak an API older than 1.44; Debian's 20.10 here speaks 1.41 at
 * most, so no such engine runs in the lab. This one answers on loopback as Docker 29 does
 * (/version with ApiVersion 1.52 and MinAPIVersion 1.44, HTTP 400 with its message for older
 * versioned paths) and serves the JSON captured from the lab's real engine, so the same inspect
 * code is checked against both negotiation outcomes. The 1.41 side runs against the real engine
 * in DockerInspectIT.
 */
class NewerEngineTest {

	private static final Path CAPTURED = Path.of("src/test/resources/fixtures/docker");
	private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");

	private HttpServer server;
	private final List<String> requested = new CopyOnWriteArrayList<>();
	private String host;

	@BeforeEach
	void startEngine() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", this::answer);
		server.start();
		host = "tcp://127.0.0.1:" + server.getAddress().getPort();
	}

	@AfterEach
	void stopEngine() {
		server.stop(0);
	}

	@Test
	void inspectsAnEngineThatRefusesClientsOlderThan144() {
		DockerInspector.Snapshot snapshot;
		try (DockerAccess access = new DockerAccess(host)) {
			snapshot = access.use(DockerInspector::inspect);
		}

		assertThat(snapshot.engine().apiVersion()).isEqualTo("1.52");
		assertThat(snapshot.engine().version()).isEqualTo("29.0.1");
		assertThat(snapshot.engine().storageDriver()).isEqualTo("overlay2");
		assertThat(snapshot.containers()).extracting(c -> c.name()).contains("vw-fx-bridge", "vw-fx-secret");
		assertThat(versionedRequests()).isNotEmpty().allSatisfy(path -> assertThat(path).startsWith("/v1.47/"));
	}

	@Test
	void dockerJavasOwnCommandsSpeakTheNegotiatedVersionToo() {
		DockerClient client = DockerConnector.connect(host);
		List<Container> listed = client.listContainersCmd().withShowAll(true).exec();

		assertThat(listed).hasSize(9);
		assertThat(requested).contains("/v1.47/containers/json?all=true");
	}

	@Test
	void anEngineThatRefusedEvenOurNewestIsSpokenToAtItsMinimum() {
		assertThat(DockerConnector.apiToSpeak(version("1.55", "1.50"))).isEqualTo("1.50");
		assertThat(DockerConnector.apiToSpeak(version("1.52", "1.44"))).isEqualTo("1.47");
		assertThat(DockerConnector.apiToSpeak(version("1.41", "1.12"))).isEqualTo("1.41");
		assertThat(DockerConnector.apiToSpeak(FactsJson.MAPPER.createObjectNode())).isNull();
	}

	@Test
	void anEngineRefusingTheClientIsOneLineWithItsReason() {
		server.removeContext("/");
		server.createContext("/", exchange -> {
			requested.add(exchange.getRequestURI().toString());
			if (exchange.getRequestURI().getPath().equals("/version")) {
				send(exchange, 200, version("1.60", "1.55"));
				return;
			}
			send(exchange, 400, message("client version 1.55 is too old for this test engine"));
		});
		try (DockerAccess access = new DockerAccess(host)) {
			org.assertj.core.api.Assertions.assertThatThrownBy(() -> access.use(DockerInspector::engine))
				.isInstanceOf(DockerUnavailableException.class)
				.hasMessageContaining("HTTP 400")
				.hasMessageContaining("too old")
				.hasMessageNotContaining("\n");
		}
	}

	private List<String> versionedRequests() {
		return requested.stream().filter(p -> VERSIONED.matcher(p).matches()).toList();
	}

	private void answer(HttpExchange exchange) throws IOException {
		String uri = exchange.getRequestURI().toString();
		requested.add(uri);
		String path = exchange.getRequestURI().getPath();
		if (path.equals("/version") || path.equals("/_ping")) {
			send(exchange, 200, path.equals("/_ping") ? null : version("1.52", "1.44"));
			return;
		}
		Matcher m = VERSIONED.matcher(path);
		if (!m.matches()) {
			send(exchange, 404, message("page not found"));
			return;
		}
		String api = m.group(1);
		if (DockerConnector.compare(api, "1.44") < 0) {
			send(exchange, 400, message("client version " + api + " is too old. Minimum supported API version is 1.44, "
					+ "please upgrade your client to a newer version"));
			return;
		}
		String rest = m.group(2);
		ArrayNode inspected = (ArrayNode) read("containers.json");
		if (rest.equals("/info")) {
			send(exchange, 200, read("info.json"));
		}
		else if (rest.equals("/containers/json")) {
			ArrayNode listing = FactsJson.MAPPER.createArrayNode();
			for (JsonNode c : inspected) {
				ObjectNode row = listing.addObject();
				row.put("Id", c.path("Id").asText());
				row.putArray("Names").add(c.path("Name").asText());
				row.put("Image", c.path("Config").path("Image").asText());
				row.set("Labels", c.path("Config").path("Labels"));
				row.put("State", c.path("State").path("Status").asText());
			}
			send(exchange, 200, listing);
		}
		else if (rest.startsWith("/containers/") && rest.endsWith("/json")) {
			String id = rest.substring("/containers/".length(), rest.length() - "/json".length());
			for (JsonNode c : inspected) {
				if (c.path("Id").asText().equals(id)) {
					send(exchange, 200, c);
					return;
				}
			}
			send(exchange, 404, message("No such container: " + id));
		}
		else if (rest.startsWith("/images/")) {
			send(exchange, 200, read("image.json"));
		}
		else {
			send(exchange, 404, message("page not found"));
		}
	}

	private static ObjectNode version(String api, String min) {
		ObjectNode v = (ObjectNode) read("version.json");
		v.put("Version", "29.0.1");
		v.put("ApiVersion", api);
		v.put("MinAPIVersion", min);
		return v;
	}

	private static ObjectNode message(String text) {
		return FactsJson.MAPPER.createObjectNode().put("message", text);
	}

	private static JsonNode read(String name) {
		try {
			return FactsJson.MAPPER.readTree(Files.readString(CAPTURED.resolve(name)));
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
		byte[] bytes = body == null ? "OK".getBytes(StandardCharsets.UTF_8)
				: FactsJson.MAPPER.writeValueAsBytes(body);
		exchange.getResponseHeaders().add("Content-Type", body == null ? "text/plain" : "application/json");
		exchange.getResponseHeaders().add("Api-Version", "1.52");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}
}
