package io.virtwise.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.ProbeResults;
import org.junit.jupiter.api.Test;

class PassiveStatsTest {

	@Test
	void rateAndCpuPerIoFromTwoReadings() {
		// 2 s apart, 1000 requests, 0.05 s of host CPU: 500 ops/s, 50 us per I/O
		PassiveStats.Window w = PassiveStats.derive("g", List.of("vda"), new PassiveStats.Sample(0, 1_000_000_000L, 10L),
				new PassiveStats.Sample(2_000_000_000L, 1_050_000_000L, 1010L), false);
		assertThat(w.ioOps()).isEqualTo(1000);
		assertThat(w.ioOpsPerSecond()).isCloseTo(500.0, within(1e-9));
		assertThat(w.cpuUsPerIo()).isCloseTo(50.0, within(1e-9));
		List<ProbeResult> results = w.results();
		assertThat(results).extracting(ProbeResult::metric).containsExactly("io-ops-per-s", "cpu-us-per-io");
		assertThat(results).allMatch(r -> r.probe().equals("kvm-passive") && r.subject().equals("g"));
	}

	@Test
	void noIoMeansUnknownCostAndNoDisksUnknownRate() {
		PassiveStats.Window idle = PassiveStats.derive("g", List.of("vda"), new PassiveStats.Sample(0, 0, 5L),
				new PassiveStats.Sample(1_000_000_000L, 10_000_000L, 5L), false);
		assertThat(idle.ioOpsPerSecond()).isZero();
		assertThat(idle.cpuUsPerIo()).isNull();
		assertThat(idle.results()).extracting(ProbeResult::metric).containsExactly("io-ops-per-s");

		PassiveStats.Window diskless = PassiveStats.derive("g", List.of(), new PassiveStats.Sample(0, 0, null),
				new PassiveStats.Sample(1_000_000_000L, 10_000_000L, null), null);
		assertThat(diskless.ioOps()).isNull();
		assertThat(diskless.results()).isEmpty();
	}

	@Test
	void passiveReadingsJoinProbeResultsNewestPerSubject() {
		ProbeResults holder = new ProbeResults();
		holder.recordPassive(PassiveStats.derive("a", List.of("vda"), new PassiveStats.Sample(0, 0, 0L),
				new PassiveStats.Sample(1_000_000_000L, 1_000_000L, 100L), false).results());
		holder.recordPassive(PassiveStats.derive("a", List.of("vda"), new PassiveStats.Sample(0, 0, 0L),
				new PassiveStats.Sample(1_000_000_000L, 1_000_000L, 200L), false).results());
		holder.recordPassive(PassiveStats.derive("b", List.of("vda"), new PassiveStats.Sample(0, 0, 0L),
				new PassiveStats.Sample(1_000_000_000L, 1_000_000L, 10L), false).results());
		assertThat(holder.latest()).hasSize(4);
		assertThat(holder.latest()).filteredOn(r -> r.subject().equals("a") && r.metric().equals("io-ops-per-s"))
			.singleElement().extracting(ProbeResult::median).isEqualTo(200.0);
	}
}
