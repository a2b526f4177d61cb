package io.virtwise.docker.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DockerConnectorTest {

	@Test
	void anAddressThatIsNeitherASocketNorTcpIsAUsageErrorNotACrash() {
		for (String host : new String[] { "garbage", "http://x", "ssh://me@box" }) {
			assertThatThrownBy(() -> DockerConnector.connect(host)).as(host)
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage("not a Docker engine address: '" + host + "' (expected unix:///PATH/docker.sock or tcp://HOST:PORT)");
		}
	}

	@Test
	void aMissingSocketIsTheEngineNotRunning() {
		assertThatThrownBy(() -> DockerConnector.connect("unix:///nonexistent.sock"))
			.isInstanceOf(DockerUnavailableException.class)
			.hasMessageStartingWith("Docker engine not running: no socket at /nonexistent.sock");
	}

	@Test
	void completionStaysQuietOnABadAddress() {
		try (DockerAccess access = new DockerAccess("garbage")) {
			assertThat(access.namesIfAvailable()).isEmpty();
		}
	}
}
