package io.virtwise.probe.kvm;

import java.util.List;

import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.ProbeReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boots the real TCG probe guest once on the lab's libvirtd (scripts/lab-up kvm builds it) with
 * short fio jobs. In CI (CI=true) an unreachable libvirtd or a missing probe guest fails the run;
 * elsewhere the test is skipped.
 */
class KvmGuestProbeIT {

	@BeforeAll
	static void libvirtdAnswers() {
		ProbeGuestLab.require("fio-reps");
	}

	@Test
	void bootsTheTcgProbeGuestMeasuresGuestAndHostAndLeavesNothing() throws Exception {
		ProbeGuestLab.Steps steps = new ProbeGuestLab.Steps();
		ProbeReport report = new GuestIoProbe().run(new GuestIoProbe.Options(null, true, null, 1, "16", 2), steps);
		assertThat(report.skipped()).as("skipped: %s", report.skipped()).isEmpty();
		for (String metric : List.of("randread-iops", "randwrite-iops")) {
			for (String qd : List.of("qd1", "qd32")) {
				ProbeResult guest = find(report, "guest", metric, qd);
				ProbeResult host = find(report, "host", metric, qd);
				assertThat(guest.median()).isPositive();
				assertThat(host.median()).isPositive();
				assertThat(guest.repetitions()).isEqualTo(2);
				assertThat(host.repetitions()).isEqualTo(2);
				assertThat(guest.min()).isLessThanOrEqualTo(guest.median());
				assertThat(guest.max()).isGreaterThanOrEqualTo(guest.median());
				assertThat(guest.emulated()).isTrue();
				assertThat(guest.baselineMedian()).isEqualTo(host.median());
				assertThat(guest.ratioToBaseline()).isPositive();
				assertThat(guest.commands()).anyMatch(c -> c.contains("<domain type='qemu'>") && c.contains("<kernel>"));
				assertThat(guest.commands()).anyMatch(c -> c.startsWith("fio ") && c.contains("--filename=/dev/vda"));
				assertThat(host.commands()).singleElement().asString().startsWith("fio ").contains("--iodepth=" + qd.substring(2))
					.contains("after one warm-up run");
			}
		}
		List<ProbeResult> cpu = report.results().stream().filter(r -> r.metric().equals("cpu-us-per-io") && r.path().equals("guest")).toList();
		assertThat(cpu).hasSize(4).allSatisfy(r -> {
			assertThat(r.median()).isPositive();
			assertThat(r.emulated()).isTrue();
		});
		assertThat(report.notes()).anyMatch(n -> n.contains("EMULATED"));
		assertThat(steps.labels).anyMatch(s -> s.contains("TCG"));

		ProbeGuestLab.assertNothingLeft(report.runId());
	}

	private static ProbeResult find(ProbeReport report, String path, String metric, String placement) {
		return report.results().stream()
			.filter(r -> r.path().equals(path) && r.metric().equals(metric) && placement.equals(r.placement()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + path + " " + metric + " " + placement + " in " + report.results()));
	}
}
