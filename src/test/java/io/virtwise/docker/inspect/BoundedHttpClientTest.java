package io.virtwise.docker.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

/** Every request to the engine has a limit; once one went unanswered, the rest do not wait. */
class BoundedHttpClientTest {

	static Request request(Request.Method method, String path) {
		return Request.builder().method(method).path(path).build();
	}

	@Test
	void readsAreQuickChangesUsualAndWhatWalksALayerHeavy() {
		EngineLimits limits = new EngineLimits(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
		assertThat(limits.of(request(Request.Method.GET, "/_ping"))).hasSeconds(1);
		assertThat(limits.of(request(Request.Method.GET, "/version"))).hasSeconds(1);
		assertThat(limits.of(request(Request.Method.GET, "/v1.41/containers/json?all=1"))).hasSeconds(1);
		assertThat(limits.of(request(Request.Method.GET, "/v1.41/containers/abc/json"))).hasSeconds(1);
		assertThat(limits.of(request(Request.Method.POST, "/v1.41/containers/create?name=vwprobe-x"))).hasSeconds(2);
		assertThat(limits.of(request(Request.Method.POST, "/v1.41/containers/abc/exec"))).hasSeconds(2);
		assertThat(limits.of(request(Request.Method.GET, "/v1.41/containers/abc/json?size=1"))).hasSeconds(3);
		assertThat(limits.of(request(Request.Method.GET, "/v1.41/containers/abc/json?all=1&size=true"))).hasSeconds(3);
		assertThat(limits.of(request(Request.Method.POST, "/v1.41/commit?container=abc&repo=vwprobe-x"))).hasSeconds(3);
		assertThat(limits.of(request(Request.Method.DELETE, "/v1.41/containers/abc?force=1"))).hasSeconds(3);
		assertThat(limits.of(request(Request.Method.GET, "/v1.41/images/sizeable/json"))).as("not a size query").hasSeconds(1);
	}

	@Test
	void anUnansweredRequestFailsOnItsLimitTheNextOnesAtOnceUntilItIsAnswered() throws IOException {
		CountDownLatch release = new CountDownLatch(1);
		List<String> seen = new CopyOnWriteArrayList<>();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", exchange -> {
			seen.add(exchange.getRequestURI().getPath());
			if (exchange.getRequestURI().getPath().equals("/hang")) {
				try {
					release.await();
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		server.setExecutor(Executors.newCachedThreadPool());
		server.start();
		DockerHttpClient transport = new ApacheDockerHttpClient.Builder()
			.dockerHost(URI.create("tcp://127.0.0.1:" + server.getAddress().getPort()))
			.build();
		try (BoundedHttpClient client = new BoundedHttpClient(transport, EngineLimits.all(Duration.ofMillis(300)))) {
			try (DockerHttpClient.Response ok = client.execute(request(Request.Method.GET, "/_ping"))) {
				assertThat(ok.getStatusCode()).isEqualTo(200);
			}

			assertThatThrownBy(() -> client.execute(request(Request.Method.POST, "/hang")))
				.isInstanceOf(DockerUnavailableException.class)
				.hasMessage("Docker engine did not answer POST /hang within 0.3 s: dockerd is hung or overloaded "
						+ "(restart it: 'systemctl restart docker', or scripts/lab-up)");

			assertThatThrownBy(() -> client.execute(request(Request.Method.GET, "/_ping")))
				.isInstanceOf(DockerUnavailableException.class)
				.hasMessageMatching("Docker engine has not answered POST /hang for \\d+ s: dockerd is hung or overloaded .*");
			assertThat(seen).as("the second request was not sent to the hung engine").containsExactly("/_ping", "/hang");

			// the engine answers the stuck request: requests go out again
			release.countDown();
			long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			Integer status = null;
			while (status == null && System.nanoTime() < until) {
				try (DockerHttpClient.Response again = client.execute(request(Request.Method.GET, "/_ping"))) {
					status = again.getStatusCode();
				}
				catch (DockerUnavailableException stillStuck) {
					Thread.onSpinWait();
				}
			}
			assertThat(status).as("answered once the stuck request was").isEqualTo(200);
		}
		finally {
			release.countDown();
			server.stop(0);
		}
	}

	@Test
	void onAHungUnixSocketTheLimitHoldsAsOnTcp() throws IOException {
		java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("vw-hung");
		try (HungEngine engine = HungEngine.onUnixSocket(dir);
				BoundedHttpClient client = new BoundedHttpClient(new ApacheDockerHttpClient.Builder()
					.dockerHost(URI.create(engine.host())).build(), EngineLimits.all(Duration.ofMillis(300)))) {
			assertThatThrownBy(() -> client.execute(request(Request.Method.POST, "/v1.41/containers/create")))
				.isInstanceOf(DockerUnavailableException.class)
				.hasMessageStartingWith("Docker engine did not answer POST /v1.41/containers/create within 0.3 s");
			int connections = engine.connections();
			assertThatThrownBy(() -> client.execute(request(Request.Method.DELETE, "/v1.41/containers/abc?force=1")))
				.hasMessageStartingWith("Docker engine has not answered POST /v1.41/containers/create for ");
			assertThat(engine.connections()).as("no new connection for the second request").isEqualTo(connections);
		}
		finally {
			java.nio.file.Files.deleteIfExists(dir.resolve("docker.sock"));
			java.nio.file.Files.deleteIfExists(dir);
		}
	}
}
