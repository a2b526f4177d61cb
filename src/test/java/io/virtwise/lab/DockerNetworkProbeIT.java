package io.virtwise.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.ProbeException;
import io.virtwise.probe.core.ProbeOptions;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.shell.ExitCodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code probe docker --quick --only network} against the lab's real engine. */
class DockerNetworkProbeIT {

	static DockerClient docker;

	@BeforeAll
	static void engine() {
		docker = LabEngine.connect();
	}

	/** Snapshots the nat table's DOCKER chain just before cleanup, while our rules still exist. */
	static final class NatSnapshot implements ProbeProgress {
		String rules = "";

		@Override
		public void begin(int steps) {
		}

		@Override
		public void step(String label) {
			if (label.startsWith("removing")) {
				rules = run("iptables", "-t", "nat", "-L", "DOCKER", "-n", "-v", "-x");
			}
		}

		@Override
		public void end() {
		}

		/** Packets that hit the DNAT rule for this destination address and port (each new connection counts once). */
		long dnatPackets(String address, int port) {
			for (String line : rules.lines().toList()) {
				if (line.contains("DNAT") && line.contains(" " + address + " ") && line.contains("dpt:" + port + " ")) {
					return Long.parseLong(line.strip().split("\\s+")[0]);
				}
			}
			throw new AssertionError("no DNAT rule for " + address + ":" + port + " in\n" + rules);
		}
	}

	static String run(String... command) {
		try {
			Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			p.waitFor(30, TimeUnit.SECONDS);
			return out;
		}
		catch (IOException e) {
			throw new AssertionError("cannot run " + String.join(" ", command), e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new AssertionError(e);
		}
	}

	static ProbeResult find(ProbeReport report, String path, String metric, String placement) {
		return report.results().stream()
			.filter(r -> r.path().equals(path) && r.metric().equals(metric) && placement.equals(r.placement()))
			.findFirst().orElseThrow(() -> new AssertionError("no " + path + " " + metric + " " + placement + " in "
					+ report.results() + "; skipped " + report.skipped()));
	}

	static final Pattern TARGET = Pattern.compile("sockperf pp --tcp -i (\\S+) -p (\\d+)");

	@Test
	void quickProbeMeasuresEveryPathSameCoreAndLeavesNothingBehind() {
		NatSnapshot nat = new NatSnapshot();
		ProbeReport report = LabEngine.probe().run(ProbeOptions.of(null, true, "network", null), nat);
		System.out.println(LabEngine.summary(report));

		assertThat(report.seconds()).isLessThanOrEqualTo(30);
		for (String path : List.of("loopback", "host-net", "bridge-ip", "published-proxy", "published-dnat")) {
			ProbeResult rtt = find(report, path, "tcp-rr-latency", "same-core");
			assertThat(rtt.median()).as(path).isGreaterThan(0).isLessThan(10_000);
			assertThat(rtt.p99()).as(path).isGreaterThanOrEqualTo(rtt.median());
			assertThat(rtt.unit()).isEqualTo("us");
			assertThat(rtt.subject()).isEqualTo("lab");
			assertThat(rtt.baselineMedian()).isEqualTo(find(report, "loopback", "tcp-rr-latency", "same-core").median());
			assertThat(rtt.commands()).anyMatch(c -> c.startsWith("docker run -d ") && c.contains("--cpuset-cpus 1"))
				.anyMatch(c -> c.startsWith("docker exec ") && c.contains("sockperf pp --tcp") && c.contains("--full-rtt"));
			ProbeResult tput = find(report, path, "tcp-throughput", "same-core");
			assertThat(tput.median()).as(path).isGreaterThan(0);
			assertThat(tput.commands()).anyMatch(c -> c.contains("iperf3 -c ") && c.contains(" -J"));
		}
		double hostNet = find(report, "host-net", "tcp-rr-latency", "same-core").median();
		double proxy = find(report, "published-proxy", "tcp-rr-latency", "same-core").median();
		assertThat(proxy / hostNet).as("docker-proxy vs --net=host, same core").isGreaterThan(1.2);
		assertThat(find(report, "published-proxy", "tcp-rr-latency", "same-core").commands())
			.anyMatch(c -> c.contains("taskset -a -p -c 1 "));

		// which path was really taken: the DNAT rule of the gateway-published port saw our
		// connections; the one for 127.0.0.1 saw none, so docker-proxy carried that traffic
		Matcher dnat = TARGET.matcher(String.join("\n", find(report, "published-dnat", "tcp-rr-latency", "same-core").commands()));
		assertThat(dnat.find()).isTrue();
		assertThat(nat.dnatPackets(dnat.group(1), Integer.parseInt(dnat.group(2)))).isGreaterThanOrEqualTo(1);
		Matcher proxied = TARGET.matcher(String.join("\n", find(report, "published-proxy", "tcp-rr-latency", "same-core").commands()));
		assertThat(proxied.find()).isTrue();
		assertThat(proxied.group(1)).isEqualTo("127.0.0.1");
		assertThat(nat.dnatPackets("127.0.0.1", Integer.parseInt(proxied.group(2)))).isZero();

		LabEngine.assertNothingLeft(docker, report.runId());
		LabEngine.assertNothingLeftByThisProcess(docker);
	}

	@Test
	void crossCoreIsMeasuredAndReportedApartFromSameCore() {
		// one run per path in both placements: what the default two-minute plan keeps for the network
		ProbeReport report = LabEngine.probe().run(ProbeOptions.of(null, false, "network", 1).withDeadline(java.time.Duration.ofSeconds(60)),
				ProbeProgress.NONE);
		System.out.println(LabEngine.summary(report));

		for (String path : List.of("loopback", "host-net", "bridge-ip", "published-proxy", "published-dnat")) {
			ProbeResult same = find(report, path, "tcp-rr-latency", "same-core");
			ProbeResult cross = find(report, path, "tcp-rr-latency", "cross-core");
			assertThat(cross.median()).as(path).isGreaterThan(0).isLessThan(10_000);
			assertThat(cross.baselineMedian()).as("cross-core is compared with cross-core loopback")
				.isEqualTo(find(report, "loopback", "tcp-rr-latency", "cross-core").median());
			assertThat(cross.commands()).anyMatch(c -> c.contains("--cpuset-cpus 0") && c.contains("sockperf sr"));
			assertThat(same.commands()).noneMatch(c -> c.contains("--cpuset-cpus 0"));
		}
		LabEngine.assertNothingLeft(docker, report.runId());
	}

	@Test
	void aContainerIsMeasuredFromSidecarsAndNeverEnteredOrChanged() throws Exception {
		try (LabTarget target = new LabTarget(docker)) {
			InspectContainerResponse before = docker.inspectContainerCmd(target.id).exec();
			ProbeReport report = LabEngine.probe().run(ProbeOptions.of(target.name, true, "network", null), ProbeProgress.NONE);
			System.out.println(LabEngine.summary(report));

			assertThat(report.subject()).isEqualTo(target.name);
			ProbeResult bridge = find(report, "bridge-ip", "tcp-rr-latency", "same-core");
			assertThat(bridge.subject()).isEqualTo(target.name);
			assertThat(bridge.median()).isGreaterThan(0).isLessThan(10_000);
			assertThat(bridge.commands()).anyMatch(c -> c.contains("--network container:" + target.name));
			// published on 127.0.0.1 only: the proxy path applies, DNAT from a host address does not
			assertThat(find(report, "published-proxy", "tcp-rr-latency", "same-core").median()).isGreaterThan(0);
			assertThat(report.results()).noneMatch(r -> r.path().equals("published-dnat"));

			InspectContainerResponse after = docker.inspectContainerCmd(target.id).exec();
			assertThat(after.getExecIds()).as("nobody exec'd into the target").isNullOrEmpty();
			assertThat(after.getState().getRunning()).isTrue();
			assertThat(after.getState().getStartedAt()).isEqualTo(before.getState().getStartedAt());
			assertThat(after.getRestartCount()).isEqualTo(before.getRestartCount());
			assertThat(after.getHostConfig().getCpusetCpus()).isEqualTo(before.getHostConfig().getCpusetCpus());
			LabEngine.assertNothingLeft(docker, report.runId());
		}
	}

	@Test
	void ctrlCInTheMiddleOfARunRemovesEverythingItCreated() throws Exception {
		// SIGINT at its default in the child even when this run was started in the background with it ignored
		Process p = new ProcessBuilder(ChildProcess.withDefaultCtrlC(List.of("java", "-jar", "target/virtwise.jar", "probe", "docker",
				"--quick", "--only", "network")))
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		java.io.BufferedReader err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
		String line;
		// not a terminal: one line per step; wait until the servers run and a measurement is under way
		while ((line = err.readLine()) != null && !line.contains("round trip")) {
			// keep reading
		}
		assertThat(line).as("the probe reached its measurements").isNotNull();
		assertThat(LabEngine.labelledByPid(docker, p.pid())).as("the run's containers exist").isNotEmpty();
		new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
		java.io.StringWriter rest = new java.io.StringWriter();
		err.transferTo(rest);
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		// as in the shell: the command is interrupted, cleans up and says so
		assertThat(p.exitValue()).as(rest.toString()).isEqualTo(ExitCodes.INTERRUPTED);
		assertThat(rest.toString()).contains("virtwise: interrupted: what the probe created was removed");
		assertThat(LabEngine.labelledByPid(docker, p.pid())).as("left after Ctrl-C").isEmpty();
	}

	@Test
	void aMissingContainerFailsWithOneClearLineAndCreatesNothing() throws Exception {
		assertThatThrownBy(() -> LabEngine.probe().run(ProbeOptions.of("vwit-no-such-container", true, null, null), ProbeProgress.NONE))
			.isInstanceOf(ProbeException.class)
			.hasMessage("no container named 'vwit-no-such-container' on this engine")
			.extracting(e -> ((ProbeException) e).reason()).isEqualTo(ProbeException.Reason.BAD_INPUT);
		LabEngine.assertNothingLeftByThisProcess(docker);

		// the same through the packaged jar, as a user types it
		List<String> command = new ArrayList<>(List.of("java", "-jar", "target/virtwise.jar", "probe", "docker", "--container",
				"vwit-no-such-container", "--quick"));
		Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.USAGE);
		assertThat(out).isEmpty();
		assertThat(err.strip().lines()).hasSize(1).first().asString()
			.isEqualTo("virtwise: no container named 'vwit-no-such-container' on this engine");
		assertThat(LabEngine.labelledByPid(docker, p.pid())).isEmpty();
	}
}
