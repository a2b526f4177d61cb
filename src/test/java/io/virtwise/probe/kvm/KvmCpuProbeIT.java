package io.virtwise.probe.kvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.ProbeReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boots the real TCG probe guest once on the lab's libvirtd, backed by huge pages (the variant
 * with a host change to undo), with quick sysbench runs, and the same runs on the host. In CI
 * (CI=true) an unreachable libvirtd or a probe guest without sysbench fails the run; elsewhere
 * the test is skipped.
 */
class KvmCpuProbeIT {

	static final Path POOL = Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages");

	@BeforeAll
	static void labIsUp() {
		ProbeGuestLab.require("sysbench");
	}

	@Test
	void bootsTheHugepageBackedGuestMeasuresGuestAndHostAndLeavesNothing() throws Exception {
		String poolBefore = Files.readString(POOL).strip();
		ProbeGuestLab.Steps steps = new ProbeGuestLab.Steps();
		GuestCpuProbe.Options options = new GuestCpuProbe.Options(null, true, null, 1, 3, List.of(GuestCpuProbe.Variant.HUGEPAGES));
		ProbeReport report = new GuestCpuProbe().run(options, steps);

		assertThat(report.skipped()).as("skipped: %s", report.skipped()).isEmpty();
		for (String metric : List.of("cpu-events-per-s", "mem-seq-write-mibps", "mem-rnd-read-mibps")) {
			ProbeResult guest = find(report, "hugepages", metric);
			ProbeResult host = find(report, "host", metric);
			assertThat(guest.median()).isPositive();
			assertThat(guest.repetitions()).isEqualTo(3);
			assertThat(guest.min()).isLessThanOrEqualTo(guest.median());
			assertThat(guest.max()).isGreaterThanOrEqualTo(guest.median());
			assertThat(guest.emulated()).isTrue();
			assertThat(guest.baselineMedian()).isEqualTo(host.median());
			assertThat(host.median()).isPositive();
			assertThat(host.emulated()).isNull();
			assertThat(guest.commands()).anyMatch(c -> c.contains("<domain type='qemu'>") && c.contains("<hugepages>"));
			assertThat(guest.commands()).anyMatch(c -> c.startsWith("sysbench ") && c.contains("--threads=1"));
			assertThat(host.commands()).singleElement().asString().startsWith("sysbench ");
		}
		assertThat(report.notes()).anyMatch(n -> n.contains("EMULATED"));
		assertThat(steps.labels).anyMatch(s -> s.contains("TCG")).anyMatch(s -> s.startsWith("guest hugepages: sysbench cpu/"));
		assertThat(Files.readString(POOL).strip()).as("huge page pool given back").isEqualTo(poolBefore);

		ProbeGuestLab.assertNothingLeft(report.runId());
	}

	private static ProbeResult find(ProbeReport report, String path, String metric) {
		return report.results().stream()
			.filter(r -> r.path().equals(path) && r.metric().equals(metric))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + path + " " + metric + " in " + report.results() + "; skipped " + report.skipped()));
	}
}
