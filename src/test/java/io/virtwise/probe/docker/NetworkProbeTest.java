package io.virtwise.probe.docker;

import io.virtwise.probe.core.ProbeFixtures;
import io.virtwise.probe.core.ProbeTarget;
import io.virtwise.probe.core.Skipped;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class NetworkProbeTest {

	@Test
	void findsTheDockerProxyOfOurPortInRealPgrepOutput() {
		String pgrep = ProbeFixtures.read("pgrep-docker-proxy.txt");
		assertThat(NetworkProbe.proxyPids(pgrep, 32806, 32807)).containsEntry(32806, "12835").hasSize(1);
		assertThat(NetworkProbe.proxyPids(pgrep, 3280)).as("a port number that is a prefix of another").isEmpty();
	}

	@Test
	void noDockerProxyMeansTheUserlandProxyIsOffAndSaysSo() {
		assertThat(NetworkProbe.proxyPids("", 32806)).isEmpty();
		assertThat(NetworkProbe.userlandProxyOff(32806)).contains("userland proxy is off", "127.0.0.1:32806");
	}

	@Test
	void theLabMeasuresAllFivePathsAndAContainerOnlyThoseItUses() {
		List<Skipped> why = new ArrayList<>();
		assertThat(NetworkProbe.paths(null, why))
			.containsExactly("loopback", "host-net", "bridge-ip", "published-proxy", "published-dnat");
		ProbeTarget bridgeLoopbackOnly = new ProbeTarget("app", "id", true, "bridge", "bridge", "172.17.0.5", "172.17.0.1",
				true, false, List.of(), List.of());
		assertThat(NetworkProbe.paths(bridgeLoopbackOnly, why)).containsExactly("loopback", "bridge-ip", "published-proxy");
		ProbeTarget host = new ProbeTarget("app", "id", true, "host", null, null, null, false, false, List.of(), List.of());
		assertThat(NetworkProbe.paths(host, why)).containsExactly("loopback", "host-net");
		assertThat(why).isEmpty();
		ProbeTarget none = new ProbeTarget("app", "id", true, "none", null, null, null, false, false, List.of(), List.of());
		assertThat(NetworkProbe.paths(none, why)).isEmpty();
		ProbeTarget stopped = new ProbeTarget("app", "id", false, "bridge", "bridge", null, null, false, false, List.of(), List.of());
		assertThat(NetworkProbe.paths(stopped, why)).isEmpty();
		assertThat(why).extracting(Skipped::reason).anyMatch(r -> r.contains("--network none"))
			.anyMatch(r -> r.contains("not running"));
	}

	@Test
	void bothServersRunInOneContainer() {
		assertThat(NetworkProbe.serve("127.0.0.1", 21000, 21001))
			.isEqualTo("sockperf sr --tcp -i 127.0.0.1 -p 21000 & exec iperf3 -s -B 127.0.0.1 -p 21001");
		assertThat(NetworkProbe.serve(null, 11111, 5201)).isEqualTo("sockperf sr --tcp -p 11111 & exec iperf3 -s -p 5201");
	}
}
