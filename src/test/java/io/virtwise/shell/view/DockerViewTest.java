package io.virtwise.shell.view;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.virtwise.facts.PortBinding;

class DockerViewTest {

	@Test
	void aPortOnEveryAddressTakesTheProxyOnlyFromLoopbackAndOneOnAnotherAddressDnat() {
		assertThat(DockerView.port(new PortBinding(80, "tcp", "0.0.0.0", 8080, "docker-proxy")))
			.isEqualTo("0.0.0.0:8080->80/tcp via docker-proxy from loopback, DNAT from elsewhere");
		assertThat(DockerView.port(new PortBinding(80, "tcp", "::", 8080, "docker-proxy")))
			.isEqualTo("[::]:8080->80/tcp via docker-proxy (IPv6: dockerd NATs it only with ip6tables enabled)");
		// not reachable over loopback at all: DNAT from this machine and others, the proxy from bridge containers
		assertThat(DockerView.port(new PortBinding(80, "tcp", "172.17.0.1", 8080, "docker-proxy")))
			.isEqualTo("172.17.0.1:8080->80/tcp via DNAT (docker-proxy from containers on its bridge)");
	}

	@Test
	void aLoopbackPortTakesOnlyTheProxyAndWithoutTheProxyEverythingIsDnat() {
		assertThat(DockerView.port(new PortBinding(80, "tcp", "127.0.0.1", 8080, "docker-proxy")))
			.isEqualTo("127.0.0.1:8080->80/tcp via docker-proxy");
		assertThat(DockerView.port(new PortBinding(82, "tcp", "::1", 8082, "docker-proxy")))
			.isEqualTo("[::1]:8082->82/tcp via docker-proxy");
		assertThat(DockerView.port(new PortBinding(80, "tcp", "0.0.0.0", 8080, "dnat")))
			.isEqualTo("0.0.0.0:8080->80/tcp via DNAT");
		assertThat(DockerView.port(new PortBinding(80, "tcp", "0.0.0.0", 8080, null)))
			.isEqualTo("0.0.0.0:8080->80/tcp via unknown path");
	}
}
