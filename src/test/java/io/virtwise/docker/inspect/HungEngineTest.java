package io.virtwise.docker.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An engine that accepts connections and never answers: one clear line, in seconds. */
class HungEngineTest {

	@TempDir
	Path dir;

	@Test
	void onItsUnixSocketConnectingFailsWithinTheAnswerLimit() throws IOException {
		// the case that hung: on a unix socket the HTTP client's own response timeout is never applied
		try (HungEngine engine = HungEngine.onUnixSocket(dir)) {
			assertFailsWithinTheLimit(engine);
		}
	}

	@Test
	void onTcpConnectingFailsWithinTheAnswerLimit() throws IOException {
		try (HungEngine engine = HungEngine.onLoopback()) {
			assertFailsWithinTheLimit(engine);
		}
	}

	@Test
	void anEngineThatHangsAfterWeConnectedFailsTheCallWithinItsLimit() throws IOException {
		// answers /version (so the connection is made and the API version pinned), then hangs
		CountDownLatch release = new CountDownLatch(1);
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", exchange -> {
			if (exchange.getRequestURI().getPath().equals("/version")) {
				byte[] body = "{\"Version\":\"20.10.24\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}"
					.getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
				return;
			}
			try {
				release.await();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		server.start();
		try {
			EngineApi api = new EngineApi(DockerConnector.connect("tcp://127.0.0.1:" + server.getAddress().getPort(),
					EngineLimits.all(Duration.ofMillis(500))));
			assertThat(api.version().path("ApiVersion").asText()).isEqualTo("1.41");
			long start = System.nanoTime();
			assertThatThrownBy(api::containers)
				.isInstanceOf(DockerUnavailableException.class)
				.hasMessage("Docker engine did not answer GET /v1.41/containers/json?all=1 within 0.5 s: dockerd is hung "
						+ "or overloaded (restart it: 'systemctl restart docker', or scripts/lab-up)");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		}
		finally {
			release.countDown();
			server.stop(0);
		}
	}

	private static void assertFailsWithinTheLimit(HungEngine engine) {
		long start = System.nanoTime();
		assertThatThrownBy(() -> DockerConnector.connect(engine.host(), EngineLimits.all(Duration.ofMillis(500))))
			.isInstanceOf(DockerUnavailableException.class)
			.hasMessageContaining("accepted the connection but did not answer /version within")
			.hasMessageContaining("hung or overloaded")
			.hasMessageNotContaining("\n");
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(took).as("failed on the answer limit").isLessThan(Duration.ofSeconds(10));
		assertThat(engine.connections()).as("the connection was made: the silence is the engine's").isPositive();
	}
}
