package io.virtwise.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The builder fills the same record, and so the same JSON, as the positional constructor. */
class ProbeResultBuilderTest {

	@Test
	void everyNamedFieldLandsInItsComponent() throws Exception {
		ProbeResult built = ProbeResult.builder(Probes.DOCKER_NETWORK, ProbePaths.BRIDGE_IP, "web", Metrics.TCP_RR_LATENCY, "us", 42.0)
			.spread(40.0, 50.0).p99(61.0).repetitions(5).baseline(21.0).emulated(false).commands(List.of("sockperf pp"))
			.placement(ProbePaths.SAME_CORE).build();
		ProbeResult positional = new ProbeResult("docker-network", "bridge-ip", "web", "tcp-rr-latency", "us", 42.0, 40.0, 50.0, 61.0,
				5, 21.0, false, List.of("sockperf pp"), "same-core");

		assertThat(built).isEqualTo(positional);
		assertThat(FactsJson.MAPPER.writeValueAsString(built)).isEqualTo(FactsJson.MAPPER.writeValueAsString(positional));
		assertThat(built.ratioToBaseline()).isEqualTo(2.0);
	}

	@Test
	void unnamedFieldsAreUnknownWithOneRepetition() {
		ProbeResult r = ProbeResult.builder(Probes.KVM_PASSIVE, ProbePaths.LIBVIRT_COUNTERS, "g", Metrics.EXITS_PER_S, "exits/s", 7).build();
		assertThat(r).isEqualTo(new ProbeResult("kvm-passive", "libvirt-counters", "g", "exits-per-s", "exits/s", 7, null, null, null, 1,
				null, null, List.of(), null));
	}
}
