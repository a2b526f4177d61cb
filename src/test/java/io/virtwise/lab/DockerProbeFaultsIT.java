package io.virtwise.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.virtwise.docker.inspect.DockerConnector;
import io.virtwise.docker.inspect.DockerUnavailableException;
import io.virtwise.docker.inspect.EngineLimits;
import io.virtwise.probe.docker.DockerProbe;
import io.virtwise.probe.core.ProbeException;
import io.virtwise.probe.core.ProbeOptions;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.docker.ProbeSandbox;
import io.virtwise.probe.core.RunId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code probe docker} does when the world changes under it: the probe image is missing,
 * the container being measured goes away, the engine stops or hangs. Each ends in one clear line, and
 * nothing the run created is left once the engine can be asked.
 */
class DockerProbeFaultsIT {

	static DockerClient docker;

	@BeforeAll
	static void engine() {
		docker = LabEngine.connect();
	}

	/** Does {@code action} once, at the first measurement step: the run's servers exist by then. */
	static ProbeProgress atFirstMeasurement(Consumer<String> action) {
		return new ProbeProgress() {
			boolean done;

			@Override
			public void begin(int steps) {
			}

			@Override
			public void step(String label) {
				if (!done && label.contains("round trip")) {
					done = true;
					action.accept(label);
				}
			}

			@Override
			public void end() {
			}
		};
	}

	@Test
	void aMissingProbeImageIsOneLineAndCreatesNothing() {
		ProbeOptions defaults = ProbeOptions.of(null, true, "network", null);
		ProbeOptions absent = new ProbeOptions(null, true, true, false, defaults.reps(), defaults.deadline(),
				"virtwise/probe:vwit-absent", false);
		Throwable thrown = catchThrowable(() -> LabEngine.probe().run(absent, ProbeProgress.NONE));
		assertThat(thrown).isInstanceOf(ProbeException.class)
			.hasMessage("the probe image virtwise/probe:vwit-absent is not on this engine (scripts/lab-up builds it)");
		LabEngine.assertNothingLeftByThisProcess(docker);
	}

	@Test
	void aContainerThatGoesAwayMidProbeEndsTheRunWithOneLineAndNothingLeft() {
		String name = "vwit-vanishing-" + ProcessHandle.current().pid();
		ExposedPort port = ExposedPort.tcp(11111);
		Ports published = new Ports();
		published.bind(port, Ports.Binding.bindIpAndPort("127.0.0.1", 0));
		docker.createContainerCmd(ProbeOptions.IMAGE).withName(name).withCmd("sleep", "infinity")
			.withExposedPorts(port).withHostConfig(HostConfig.newHostConfig().withPortBindings(published)).exec();
		docker.startContainerCmd(name).exec();
		try {
			ProbeOptions options = ProbeOptions.of(name, true, "network", null);
			Throwable thrown = catchThrowable(() -> LabEngine.probe().run(options,
					atFirstMeasurement(label -> docker.removeContainerCmd(name).withForce(true).exec())));
			assertThat(thrown).as("the run cannot go on without its container").isInstanceOf(ProbeException.class);
			assertThat(thrown.getMessage()).contains("'" + name + "'").contains("went away during the probe").doesNotContain("\n");
			assertThat(((ProbeException) thrown).reason()).isEqualTo(ProbeException.Reason.BAD_INPUT);
		}
		finally {
			try {
				docker.removeContainerCmd(name).withForce(true).exec();
			}
			catch (com.github.dockerjava.api.exception.NotFoundException alreadyGone) {
				// removed by the test's own step, as intended
			}
		}
		LabEngine.assertNothingLeftByThisProcess(docker);
	}

	/**
	 * Stops the lab's dockerd in the middle of a measurement and starts it again with
	 * scripts/lab-up: the run ends with one line naming the engine; its stopped containers
	 * outlive the engine, and the next run of the same shell process sweeps them.
	 */
	@Test
	void anEngineThatStopsMidProbeIsOneLineAndTheNextRunSweepsWhatItLeft() throws Exception {
		String[] runId = new String[1];
		Throwable thrown;
		try {
			thrown = catchThrowable(() -> LabEngine.probe().run(ProbeOptions.of(null, true, "network", null), atFirstMeasurement(label -> {
				runId[0] = runningRunId();
				stopDockerd();
			})));
		}
		finally {
			startDockerd();
		}
		assertThat(thrown).isInstanceOf(DockerUnavailableException.class);
		assertThat(thrown.getMessage()).startsWith("the Docker engine stopped answering during the probe").doesNotContain("\n");
		assertThat(runId[0]).as("the run had created containers when the engine stopped").isNotNull();

		DockerClient fresh = DockerConnector.connect(null);
		assertThat(LabEngine.labelled(fresh, runId[0])).as("left while the engine was down").isNotEmpty();
		try (ProbeSandbox next = new ProbeSandbox(fresh, RunId.create(), ProbeOptions.IMAGE)) {
			assertThat(next.sweepLeftovers()).isNotEmpty();
		}
		LabEngine.assertNothingLeft(fresh, runId[0]);
		LabEngine.assertNothingLeftByThisProcess(fresh);
	}

	/**
	 * A dockerd that hangs mid-probe (SIGSTOP: it still accepts connections, the kernel completes
	 * them, and answers nothing) ends the run with one line once one request has gone unanswered
	 * past its limit: the later steps and the cleanup do not each wait out their own. When it answers
	 * again, the next run sweeps what the hung one could not remove. Short limits keep the test
	 * short; the shell's own are 15 s, 60 s and 2 min.
	 */
	@Test
	void anEngineThatHangsMidProbeIsOneLineWithinOneLimitAndTheNextRunSweepsWhatItLeft() throws Exception {
		Duration usual = Duration.ofSeconds(5);
		DockerProbe probe = new DockerProbe(host -> DockerConnector.connect(host,
				new EngineLimits(Duration.ofSeconds(2), usual, Duration.ofSeconds(10))), true);
		String[] runId = new String[1];
		long[] hungAt = new long[1];
		Throwable thrown;
		try {
			// before the limits, this waited for as long as dockerd stayed stopped
			thrown = catchThrowable(() -> assertTimeoutPreemptively(Duration.ofSeconds(90),
					() -> probe.run(ProbeOptions.of(null, true, "network", null), atFirstMeasurement(label -> {
						runId[0] = runningRunId();
						signalDockerd("STOP");
						hungAt[0] = System.nanoTime();
					}))));
		}
		finally {
			signalDockerd("CONT");
		}
		Duration held = Duration.ofNanos(System.nanoTime() - hungAt[0]);
		assertThat(thrown).isInstanceOf(DockerUnavailableException.class);
		assertThat(thrown.getMessage()).startsWith("the Docker engine stopped answering during the probe")
			.containsPattern("Docker engine has not answered (POST|GET) /v1\\.\\d+/\\S+ for \\d+ s: dockerd is hung or overloaded")
			.doesNotContain("\n");
		assertThat(held).as("one request's limit (%s), then no more waiting", usual).isLessThan(usual.multipliedBy(3));
		assertThat(runId[0]).as("the run had created containers when the engine hung").isNotNull();

		assertThat(LabEngine.labelled(docker, runId[0])).as("left while the engine was hung").isNotEmpty();
		try (ProbeSandbox next = new ProbeSandbox(docker, RunId.create(), ProbeOptions.IMAGE)) {
			assertThat(next.sweepLeftovers()).isNotEmpty();
		}
		LabEngine.assertNothingLeft(docker, runId[0]);
		LabEngine.assertNothingLeftByThisProcess(docker);
	}

	/**
	 * Ctrl-C in the shell interrupts the command's thread: the run stops at its next step with
	 * "interrupted" (which the shell shows as "interrupted: what the probe created was removed"),
	 * and the cleanup still asks the engine, though every wait on an interrupted thread ends at once.
	 */
	@Test
	void anInterruptedRunStopsAndRemovesEverythingItCreated() {
		String[] runId = new String[1];
		Throwable thrown = catchThrowable(() -> LabEngine.probe().run(ProbeOptions.of(null, true, "network", null),
				atFirstMeasurement(label -> {
					runId[0] = runningRunId();
					Thread.currentThread().interrupt();
				})));
		boolean stillInterrupted = Thread.interrupted();
		assertThat(thrown).isInstanceOf(ProbeException.class).hasMessage("interrupted");
		assertThat(stillInterrupted).as("the interrupt is kept for the shell to see").isTrue();
		assertThat(runId[0]).as("the run had created containers when it was interrupted").isNotNull();
		LabEngine.assertNothingLeft(docker, runId[0]);
		LabEngine.assertNothingLeftByThisProcess(docker);
	}

	/** The id of this process's probe run under way, read from the engine's labels; null when none. */
	static String runningRunId() {
		return LabEngine.labelledRunIds(docker).stream()
			.filter(id -> id.endsWith("-" + ProcessHandle.current().pid())).findFirst().orElse(null);
	}

	static void signalDockerd(String signal) {
		try {
			assertThat(new ProcessBuilder("pkill", "-" + signal, "-x", "dockerd").inheritIO().start().waitFor())
				.as("pkill -%s dockerd", signal).isZero();
		}
		catch (IOException | InterruptedException e) {
			throw new IllegalStateException("could not send SIG" + signal + " to dockerd", e);
		}
	}

	static void stopDockerd() {
		try {
			new ProcessBuilder("pkill", "-TERM", "-x", "dockerd").inheritIO().start().waitFor();
			long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (new ProcessBuilder("pgrep", "-x", "dockerd").start().waitFor() == 0 && System.nanoTime() < until) {
				Thread.sleep(200);
			}
		}
		catch (IOException | InterruptedException e) {
			throw new IllegalStateException("could not stop dockerd", e);
		}
	}

	static void startDockerd() throws IOException, InterruptedException {
		Process p = new ProcessBuilder(Path.of("scripts/lab-up").toAbsolutePath().toString(), "docker").inheritIO().start();
		assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("scripts/lab-up docker finished").isTrue();
		assertThat(p.exitValue()).as("scripts/lab-up docker").isZero();
	}
}
