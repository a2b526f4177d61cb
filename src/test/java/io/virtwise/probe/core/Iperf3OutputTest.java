package io.virtwise.probe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class Iperf3OutputTest {

	@Test
	void readsTheReceiverSideOfABridgeRun() {
		Iperf3Output out = Iperf3Output.parse(ProbeFixtures.read("iperf3-bridge-cross-core.json"));
		assertThat(out.bytes()).isEqualTo(256L * 1024 * 1024);
		assertThat(out.gbitPerSecond()).isCloseTo(8.479, within(0.001));
		assertThat(out.seconds()).isGreaterThan(0);
	}

	@Test
	void anIperfErrorIsReportedNotMeasured() {
		assertThatThrownBy(() -> Iperf3Output.parse(ProbeFixtures.read("iperf3-refused.json")))
			.isInstanceOf(ProbeOutputException.class)
			.hasMessage("iperf3: unable to connect to server: Connection refused");
	}

	@Test
	void noJsonIsAnError() {
		assertThatThrownBy(() -> Iperf3Output.parse("iperf3: error - unable to connect"))
			.isInstanceOf(ProbeOutputException.class);
		assertThatThrownBy(() -> Iperf3Output.parse("")).isInstanceOf(ProbeOutputException.class);
	}
}
