package io.virtwise.shell.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.probe.core.Skipped;
import org.junit.jupiter.api.Test;

class ProbeViewTest {

	@Test
	void barsHaveEightCellsPerUnitAndEighthResolution() {
		assertThat(BarChart.bar(1.0, 8)).isEqualTo("████████");
		assertThat(BarChart.bar(1.07, 8)).isEqualTo("████████▌");
		assertThat(BarChart.bar(2.5, 8)).isEqualTo("████████████████████");
		assertThat(BarChart.bar(0.5, 8)).isEqualTo("████");
		assertThat(BarChart.bar(0.01, 8)).as("a measured figure is never drawn as nothing").isEqualTo("▏");
		assertThat(BarChart.bar(Double.NaN, 8)).isEmpty();
	}

	@Test
	void aLargeRatioShrinksTheScaleToFitTheWidth() {
		assertThat(BarChart.scale(2.5, 40)).isEqualTo(8.0);
		double scale = BarChart.scale(200, 40);
		assertThat(scale).isEqualTo(0.2);
		assertThat(BarChart.bar(200, scale)).hasSize(40);
	}

	static ProbeResult rtt(String path, double median, Double baseline) {
		return new ProbeResult("docker-network", path, "lab", "tcp-rr-latency", "us", median, median, median, median * 1.2, 3,
				baseline, null, List.of("docker run -d --name srv virtwise/probe:latest sockperf sr --tcp",
						"docker exec client sockperf pp --tcp -i 127.0.0.1 -p 11111 -t 1 --full-rtt"), "same-core");
	}

	@Test
	void showsRatiosToTheBaselineWithBarsSkipsAndCommands() {
		ProbeReport report = new ProbeReport("tp1-1", "lab", 21.5, 30, List.of(rtt("loopback", 7.1, 7.1), rtt("host-net", 7.2, 7.1),
				rtt("published-proxy", 17.75, 7.1)),
				List.of(new Skipped("docker-network", null, "cross-core", "all paths", "budget: would not fit")),
				List.of("tcp-rr-latency: round trip"), List.of());
		String text = new ProbeView(new Styler(false)).text(report, true);
		assertThat(text).contains("docker-network tcp-rr-latency, same-core", "lower is better", "ratio to loopback");
		assertThat(text).containsPattern("loopback\\s+7\\.10 us\\s+1\\.00x ████████ ");
		assertThat(text).containsPattern("published-proxy\\s+17\\.75 us\\s+2\\.50x ████████████████████ ");
		assertThat(text).contains("p99 21.30", "Skipped", "docker-network cross-core all paths: budget: would not fit");
		assertThat(text).contains("$ docker exec client sockperf pp --tcp");
		assertThat(new ProbeView(new Styler(false)).text(report, false)).doesNotContain("$ docker");
	}

	static ProbeResult cpu(String path, double median, Boolean emulated) {
		return new ProbeResult("kvm-cpu", path, "lab", "cpu-events-per-s", "events/s", median, median * 0.9, median * 1.1, null, 3,
				12495.0, emulated, List.of("sysbench cpu --threads=1 --time=1 --cpu-max-prime=2000 run"), null);
	}

	@Test
	void guestVariantsShowAsRatiosToTheHostWithEmulatedRowsStarred() {
		ProbeReport report = new ProbeReport("tp1-1", "lab", 172, 540, List.of(cpu("plain", 1962.1, true), cpu("pinned", 3186.4, true),
				cpu("host", 12495.0, null)), List.of(new Skipped("kvm-cpu", "hugepages", null, "all",
						"huge pages could not be reserved: 256 free 2048kB pages needed, 10 free")), List.of(), List.of());
		String text = new ProbeView(new Styler(false)).text(report, false);
		assertThat(text).startsWith("probe kvm-cpu: lab").contains("kvm-cpu cpu-events-per-s", "higher is better", "ratio to host");
		assertThat(text).containsPattern("plain\\*\\s+1962 events/s\\s+0\\.16x ");
		assertThat(text).containsPattern("host\\s+12495 events/s\\s+1\\.00x ████████ ");
		assertThat(text).contains("* emulated: measured under QEMU TCG, not KVM",
				"kvm-cpu hugepages all: huge pages could not be reserved");
	}

	@Test
	void aFigureWithoutBaselineSaysSoInsteadOfARatio() {
		ProbeReport report = new ProbeReport("tp1-1", "lab", 1, 30, List.of(rtt("bridge-ip", 7.5, null)), List.of(), List.of(), List.of());
		assertThat(new ProbeView(new Styler(false)).text(report, false)).contains("(no baseline)").doesNotContain("x █");
	}

	@Test
	void progressLinesFitTheTerminal() {
		assertThat(ProgressBar.render(6, 24, "network same-core: bridge-ip round trip 1/1", 200))
			.startsWith("[██████··················] 6/24 network");
		assertThat(ProgressBar.render(1, 2, "x".repeat(300), 80)).hasSize(79);
	}

	@Test
	void withoutATerminalEachStepIsOnePlainLine() {
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		ProgressBar bar = new ProgressBar(new java.io.PrintStream(bytes, true), false, 80);
		bar.begin(2);
		bar.step("one");
		bar.step("two");
		bar.end();
		assertThat(bytes.toString()).isEqualTo("probe [1/2] one\nprobe [2/2] two\n");
	}

	@Test
	void aStepNamingAContainerWithEscapesDrawsOnlyTheBarsOwn() {
		for (boolean terminal : new boolean[] { false, true }) {
			java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
			ProgressBar bar = new ProgressBar(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), terminal, 200);
			bar.begin(1);
			bar.step("measuring web\u001B]0;owned\u0007\u001B[2J\u009B2J");
			bar.end();
			String drawn = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).replace("\r\u001B[K", "").replace("\u001B[K", "");
			assertThat(drawn).contains("measuring web^[]0;owned^G^[[2JM-^[2J").doesNotContain("\u001B", "\u0007", "\u009B");
		}
	}
}
