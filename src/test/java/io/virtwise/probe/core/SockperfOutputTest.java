package io.virtwise.probe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SockperfOutputTest {

	@Test
	void readsTheRoundTripPercentilesOfASameCoreBridgeRun() {
		SockperfOutput out = SockperfOutput.parse(ProbeFixtures.read("sockperf-pp-tcp-bridge-same-core.txt"));
		assertThat(out.roundTrip()).isTrue();
		assertThat(out.observations()).isGreaterThan(10_000);
		assertThat(out.validSeconds()).isCloseTo(0.55, within(0.01));
		assertThat(out.medianUs()).isGreaterThan(1).isLessThan(out.p99Us());
		assertThat(out.minUs()).isLessThanOrEqualTo(out.medianUs());
		assertThat(out.maxUs()).isGreaterThanOrEqualTo(out.p99Us());
		assertThat(out.percentiles()).containsKeys(25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 99.999);
	}

	@Test
	void readsACrossCoreRunWithFewerObservations() {
		SockperfOutput out = SockperfOutput.parse(ProbeFixtures.read("sockperf-pp-tcp-host-net-cross-core.txt"));
		assertThat(out.observations()).isEqualTo(3930);
		assertThat(out.medianUs()).isEqualTo(43.046);
		assertThat(out.p99Us()).isEqualTo(3164.809);
		assertThat(out.averageUs()).isEqualTo(139.328);
		assertThat(out.minUs()).isEqualTo(29.623);
		assertThat(out.maxUs()).isEqualTo(7390.710);
	}

	@Test
	void aRefusedConnectionIsAnErrorNotAFigure() {
		assertThatThrownBy(() -> SockperfOutput.parse(ProbeFixtures.read("sockperf-pp-refused.txt")))
			.isInstanceOf(ProbeOutputException.class)
			.hasMessageContaining("Connection refused");
	}

	@Test
	void withoutFullRttTheFiguresAreOneWayAndSaySo() {
		String halved = ProbeFixtures.read("sockperf-pp-tcp-bridge-same-core.txt").replace("avg-rtt", "avg-latency");
		assertThat(SockperfOutput.parse(halved).roundTrip()).isFalse();
	}

	@Test
	void truncatedOutputGivesNoNumber() {
		String text = ProbeFixtures.read("sockperf-pp-tcp-bridge-same-core.txt");
		assertThatThrownBy(() -> SockperfOutput.parse(text.substring(0, text.indexOf("avg-rtt"))))
			.isInstanceOf(ProbeOutputException.class);
		assertThatThrownBy(() -> SockperfOutput.parse("")).isInstanceOf(ProbeOutputException.class);
	}
}
