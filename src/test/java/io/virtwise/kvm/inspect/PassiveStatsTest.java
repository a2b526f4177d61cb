package io.virtwise.kvm.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.ProbeResults;
import org.junit.jupiter.api.Test;

class PassiveStatsTest {

	/** Typed parameters shaped like libvirt 9.0's answer on a running KVM domain (see virsh domstats). */
	static Map<String, Object> kvmParams(long cpuNs, long vcpu0Ns, long vcpu1Ns, long reads, long writes, long pollOk,
			long pollFail, long exits0, long exits1) {
		Map<String, Object> p = new HashMap<>();
		p.put("state.state", 1L);
		p.put("cpu.time", cpuNs);
		p.put("cpu.haltpoll.success.time", pollOk);
		p.put("cpu.haltpoll.fail.time", pollFail);
		p.put("vcpu.current", 2L);
		p.put("vcpu.maximum", 2L);
		p.put("vcpu.0.time", vcpu0Ns);
		p.put("vcpu.1.time", vcpu1Ns);
		p.put("vcpu.0.exits.sum", exits0);
		p.put("vcpu.1.exits.sum", exits1);
		p.put("vcpu.0.halt_poll_success_ns.sum", 999_999L); // the cpu.haltpoll totals win over these
		p.put("block.count", 2L);
		p.put("block.0.name", "vda");
		p.put("block.0.rd.reqs", reads);
		p.put("block.0.wr.reqs", writes);
		p.put("block.1.name", "hdc"); // an empty CD-ROM: no request counters
		return p;
	}

	@Test
	void typedParametersMapToASample() {
		PassiveStats.Sample s = PassiveStats.Sample.of(7, kvmParams(5_000, 1_000, 2_000, 10, 4, 300, 200, 40, 2), true);
		assertThat(s.cpuTimeNs()).isEqualTo(5_000);
		assertThat(s.vcpus()).isEqualTo(2);
		assertThat(s.vcpuTimeNs()).isEqualTo(3_000);
		assertThat(s.disks()).containsExactly("vda", "hdc");
		assertThat(s.blockRequests()).isEqualTo(14);
		assertThat(s.haltPollSuccessNs()).isEqualTo(300);
		assertThat(s.haltPollFailNs()).isEqualTo(200);
		assertThat(s.exits()).isEqualTo(42);
	}

	@Test
	void perVcpuHaltPollCountersWhenTheTotalsAreMissing() {
		Map<String, Object> p = kvmParams(0, 0, 0, 0, 0, 0, 0, 0, 0);
		p.remove("cpu.haltpoll.success.time");
		p.remove("cpu.haltpoll.fail.time");
		p.put("vcpu.1.halt_poll_success_ns.sum", 1L);
		p.put("vcpu.1.halt_poll_fail_ns.sum", 5L);
		PassiveStats.Sample s = PassiveStats.Sample.of(0, p, true);
		assertThat(s.haltPollSuccessNs()).isEqualTo(1_000_000L);
		assertThat(s.haltPollFailNs()).isEqualTo(5);
	}

	@Test
	void underTcgHaltPollingAndExitsStayUnknownEvenWhenLibvirtSaysZero() {
		// libvirt 9.0 reports cpu.haltpoll.*=0 for a TCG guest: not a measurement
		PassiveStats.Sample s = PassiveStats.Sample.of(0, kvmParams(1, 1, 1, 1, 1, 0, 0, 0, 0), false);
		assertThat(s.haltPollSuccessNs()).isNull();
		assertThat(s.haltPollFailNs()).isNull();
		assertThat(s.exits()).isNull();
		assertThat(s.vcpuTimeNs()).isEqualTo(2);
	}

	@Test
	void whatLibvirtDoesNotReportIsUnknownNotZero() {
		PassiveStats.Sample s = PassiveStats.Sample.of(0, Map.of("state.state", 1L), true);
		assertThat(s.cpuTimeNs()).isNull();
		assertThat(s.vcpus()).isNull();
		assertThat(s.vcpuTimeNs()).isNull();
		assertThat(s.blockRequests()).isNull();
		assertThat(s.haltPollSuccessNs()).isNull();
		assertThat(s.exits()).isNull();
		PassiveStats.Window w = PassiveStats.derive("g", s, PassiveStats.Sample.of(1_000_000_000L, Map.of(), true), false);
		assertThat(w.ioOps()).isNull();
		assertThat(w.cpuSecondsUsed()).isNull();
		assertThat(w.vcpuSeconds()).isNull();
		assertThat(w.haltPollSeconds()).isNull();
		assertThat(w.exitsPerSecond()).isNull();
		assertThat(w.results()).isEmpty();
	}

	@Test
	void windowFiguresFromTwoReadings() {
		// 2 s apart: 1000 requests, 0.05 s host CPU, 0.4 s vCPU time of which 0.1 s halt polling, 5000 exits
		PassiveStats.Sample a = PassiveStats.Sample.of(0, kvmParams(1_000_000_000L, 100, 100, 10, 0, 0, 0, 100, 0), true);
		PassiveStats.Sample b = PassiveStats.Sample.of(2_000_000_000L,
				kvmParams(1_050_000_000L, 300_000_100L, 100_000_100L, 900, 110, 60_000_000L, 40_000_000L, 4_100, 1_000), true);
		PassiveStats.Window w = PassiveStats.derive("g", a, b, false);
		assertThat(w.ioOps()).isEqualTo(1000);
		assertThat(w.ioOpsPerSecond()).isCloseTo(500.0, within(1e-9));
		assertThat(w.cpuUsPerIo()).isCloseTo(50.0, within(1e-9));
		assertThat(w.vcpuSeconds()).isCloseTo(0.4, within(1e-9));
		assertThat(w.vcpuMsPerSecond()).isCloseTo(200.0, within(1e-9));
		assertThat(w.haltPollSeconds()).isCloseTo(0.1, within(1e-9));
		assertThat(w.haltPollMsPerSecond()).isCloseTo(50.0, within(1e-9));
		assertThat(w.haltPollPercentOfVcpu()).isCloseTo(25.0, within(1e-9));
		assertThat(w.exits()).isEqualTo(5000);
		assertThat(w.exitsPerSecond()).isCloseTo(2500.0, within(1e-9));
		List<ProbeResult> results = w.results();
		assertThat(results).extracting(ProbeResult::metric).containsExactly("io-ops-per-s", "cpu-us-per-io", "vcpu-ms-per-s",
				"haltpoll-ms-per-s", "haltpoll-pct-of-vcpu", "exits-per-s");
		assertThat(results).allMatch(r -> r.probe().equals("kvm-passive") && r.subject().equals("g")
				&& Boolean.FALSE.equals(r.emulated()) && r.commands().get(0).startsWith("virsh domstats"));
	}

	@Test
	void noIoMeansUnknownCostAndACounterGoingBackIsUnknown() {
		PassiveStats.Sample a = PassiveStats.Sample.of(0, kvmParams(10, 0, 0, 5, 0, 0, 0, 0, 0), true);
		PassiveStats.Sample b = PassiveStats.Sample.of(1_000_000_000L, kvmParams(20, 0, 0, 5, 0, 0, 0, 0, 0), true);
		PassiveStats.Window idle = PassiveStats.derive("g", a, b, false);
		assertThat(idle.ioOpsPerSecond()).isZero();
		assertThat(idle.cpuUsPerIo()).isNull();
		assertThat(idle.haltPollPercentOfVcpu()).as("no vCPU time: no share").isNull();
		// every counter lower in the second reading: the guest restarted inside the window
		PassiveStats.Sample beforeRestart = PassiveStats.Sample.of(0, kvmParams(9_000, 4_000, 4_000, 50, 50, 300, 200, 40, 40), true);
		PassiveStats.Sample afterRestart = PassiveStats.Sample.of(1_000_000_000L, kvmParams(20, 10, 10, 5, 0, 0, 0, 3, 3), true);
		PassiveStats.Window restarted = PassiveStats.derive("g", beforeRestart, afterRestart, false);
		assertThat(restarted.cpuSecondsUsed()).as("not 0: unknown").isNull();
		assertThat(restarted.vcpuMsPerSecond()).isNull();
		assertThat(restarted.ioOpsPerSecond()).isNull();
		assertThat(restarted.haltPollMsPerSecond()).isNull();
		assertThat(restarted.exitsPerSecond()).isNull();
		assertThat(restarted.results()).as("no measurement, no figure").isEmpty();
		assertThat(restarted.countersWentBack()).isTrue();
		assertThat(idle.countersWentBack()).isFalse();

		Map<String, Object> plugged = kvmParams(30, 0, 0, 500, 0, 0, 0, 0, 0);
		plugged.put("block.count", 3L);
		plugged.put("block.2.name", "vdb");
		plugged.put("block.2.rd.reqs", 7L);
		PassiveStats.Window hotplug = PassiveStats.derive("g", b, PassiveStats.Sample.of(2_000_000_000L, plugged, true), false);
		assertThat(hotplug.ioOps()).as("different disks: no rate").isNull();
		assertThat(hotplug.cpuSecondsUsed()).isNotNull();
	}

	@Test
	void passiveReadingsJoinProbeResultsNewestPerSubject() {
		ProbeResults holder = new ProbeResults();
		holder.recordPassive(window("a", 100).results());
		holder.recordPassive(window("a", 200).results());
		holder.recordPassive(window("b", 10).results());
		assertThat(holder.latest()).filteredOn(r -> r.subject().equals("a") && r.metric().equals("io-ops-per-s"))
			.singleElement().extracting(ProbeResult::median).isEqualTo(200.0);
		assertThat(holder.latest()).filteredOn(r -> r.subject().equals("b")).isNotEmpty();
	}

	private static PassiveStats.Window window(String guest, long reads) {
		return PassiveStats.derive(guest, PassiveStats.Sample.of(0, kvmParams(0, 0, 0, 0, 0, 0, 0, 0, 0), true),
				PassiveStats.Sample.of(1_000_000_000L, kvmParams(1_000_000, 0, 0, reads, 0, 0, 0, 0, 0), true), false);
	}
}
