package io.virtwise.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

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

	private static void assertFailsWithinTheLimit(HungEngine engine) {
		long start = System.nanoTime();
		assertThatThrownBy(() -> DockerConnector.connect(engine.host(), Duration.ofMillis(500)))
			.isInstanceOf(DockerUnavailableException.class)
			.hasMessageContaining("accepted the connection but did not answer /version within")
			.hasMessageContaining("hung or overloaded")
			.hasMessageNotContaining("\n");
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(took).as("failed on the answer limit").isLessThan(Duration.ofSeconds(10));
		assertThat(engine.connections()).as("the connection was made: the silence is the engine's").isPositive();
	}
}
