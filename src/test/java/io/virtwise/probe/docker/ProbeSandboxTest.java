package io.virtwise.probe.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.core.RunId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's create and cleanup logic against an in-memory engine; DockerStorageProbeIT and DockerProbeFaultsIT cover the real one. */
class ProbeSandboxTest {

	private final FakeDockerEngine engine = new FakeDockerEngine();

	@TempDir
	Path tempRoot;

	private ProbeSandbox sandbox(RunId run) {
		return new ProbeSandbox(engine, tempRoot, run, "virtwise-probe:test");
	}

	@Test
	void aCompletedRunRemovesEverythingItCreatedNewestFirst() throws IOException {
		Path dir;
		try (ProbeSandbox sandbox = sandbox(RunId.create())) {
			dir = sandbox.tempDir("host-dir");
			Files.writeString(dir.resolve("virtwise-fio.dat"), "data");
			String volume = sandbox.createVolume("vol");
			ProbeSandbox.Started c = sandbox.run(sandbox.container("fio", "sleep", "infinity").mount(dir.toString(), "/data"));
			String image = sandbox.commit(c.id(), "upper");
			engine.log.clear();
			sandbox.close();
			assertThat(engine.log).containsExactly("remove image " + image, "remove container " + c.id(), "remove volume " + volume);
		}
		assertThat(engine.containers).isEmpty();
		assertThat(engine.volumes).isEmpty();
		assertThat(engine.images).isEmpty();
		assertThat(dir).doesNotExist();
	}

	@Test
	void anUndoRunsOnCloseBeforeTheContainerItNeedsAndOnlyOnceWhenRunEarly() {
		List<String> undone = new java.util.ArrayList<>();
		try (ProbeSandbox sandbox = sandbox(RunId.create())) {
			ProbeSandbox.Started c = sandbox.run(sandbox.container("sidecar", "sleep", "infinity"));
			sandbox.undo("files in the target", () -> undone.add("undo while " + engine.containers.keySet().contains(c.id())));
			engine.log.clear();
		}
		// Ctrl-C or a failure: the files go through the sidecar, so the sidecar is still there
		assertThat(undone).containsExactly("undo while true");
		assertThat(engine.containers).isEmpty();

		undone.clear();
		try (ProbeSandbox sandbox = sandbox(RunId.create())) {
			sandbox.run(sandbox.container("sidecar", "sleep", "infinity"));
			sandbox.undo("files in the target", () -> undone.add("undone"));
			sandbox.undoNow("files in the target");
		}
		assertThat(undone).as("the normal path runs it once").containsExactly("undone");
	}

	@Test
	void aFailureInTheMiddleStillRemovesWhatWasCreatedBeforeIt() {
		engine.failStart = name -> name.endsWith("-server");
		String volume;
		try (ProbeSandbox sandbox = sandbox(RunId.create())) {
			volume = sandbox.createVolume("vol");
			sandbox.run(sandbox.container("client", "sleep", "infinity"));
			assertThatThrownBy(() -> sandbox.run(sandbox.container("server", "sleep", "infinity")))
				.hasMessageContaining("cannot start");
		}
		assertThat(engine.containers).as("the container that failed to start too").isEmpty();
		assertThat(engine.volumes).doesNotContainKey(volume);
	}

	@Test
	void anInterruptedRunStillRemovesEverything() {
		ProbeSandbox sandbox = sandbox(RunId.create());
		sandbox.run(sandbox.container("client", "sleep", "infinity"));
		sandbox.createVolume("vol");
		Thread.currentThread().interrupt();
		try {
			sandbox.close();
			assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(engine.containers).isEmpty();
		assertThat(engine.volumes).isEmpty();
	}

	@Test
	void whatIsCreatedAfterCtrlCClosedTheRunIsRemovedAtOnceAndTheRunStops() {
		ProbeSandbox sandbox = sandbox(RunId.create());
		sandbox.close(); // the shutdown hook, while the probe thread is still creating
		assertThatThrownBy(() -> sandbox.run(sandbox.container("late", "sleep", "infinity")))
			.isInstanceOf(ProbeOutputException.class).hasMessageContaining("stopped");
		assertThatThrownBy(() -> sandbox.createVolume("late")).isInstanceOf(ProbeOutputException.class);
		assertThat(engine.containers).isEmpty();
		assertThat(engine.volumes).isEmpty();
	}

	@Test
	void anEngineThatStopsAnsweringLeavesItsObjectsLabelledButDeletesLocalDirectories() throws IOException {
		ProbeSandbox sandbox = sandbox(RunId.create());
		Path dir = sandbox.tempDir("host-dir");
		sandbox.run(sandbox.container("client", "sleep", "infinity"));
		engine.answering = false;
		engine.log.clear();
		sandbox.close();
		assertThat(engine.log).isEmpty();
		assertThat(engine.containers).hasSize(1);
		assertThat(dir).doesNotExist();
	}

	@Test
	void keepLeavesEverythingAndSaysHowToRemoveIt() throws IOException {
		RunId run = RunId.create();
		ProbeSandbox sandbox = sandbox(run);
		sandbox.run(sandbox.container("client", "sleep", "infinity"));
		sandbox.createVolume("vol");
		Path dir = sandbox.tempDir("host-dir");
		String kept = sandbox.keep();
		sandbox.close();
		assertThat(engine.containers).hasSize(1);
		assertThat(engine.volumes).hasSize(1);
		assertThat(dir).exists();
		assertThat(kept).contains("1 container", "volume vwprobe-" + run.value() + "-vol", "directories " + dir,
				"docker rm -f $(docker ps -aq --filter label=" + RunId.LABEL + "=" + run.value() + ")");
	}

	@Test
	void theSweepRemovesOnlyLabelledObjectsOfDeadRuns() throws IOException {
		RunId dead = RunId.create();
		dead.finished();
		RunId live = RunId.create();
		RunId me = RunId.create();
		String old = Long.toString(Instant.now().minusSeconds(3600).getEpochSecond(), 36) + "-1";
		String recentElsewhere = Long.toString(Instant.now().getEpochSecond() - 5, 36) + "-1";
		engine.userContainer("users-db", Map.of());
		engine.userContainer("users-app", Map.of("io.virtwise.probe.other", "x", "maintainer", "someone"));
		engine.userContainer("vwprobe-" + dead.value() + "-client", dead.labels());
		engine.userContainer("vwprobe-" + live.value() + "-client", live.labels());
		engine.userContainer("vwprobe-" + me.value() + "-client", me.labels());
		engine.userContainer("vwprobe-old", Map.of(RunId.LABEL, old, RunId.HOST_LABEL, "elsewhere"));
		engine.userContainer("vwprobe-elsewhere", Map.of(RunId.LABEL, recentElsewhere, RunId.HOST_LABEL, "elsewhere"));
		engine.createVolume("users-volume", Map.of());
		engine.createVolume("vwprobe-" + dead.value() + "-vol", dead.labels());
		engine.createVolume("vwprobe-" + live.value() + "-vol", live.labels());
		Map<String, String> sidecar = new HashMap<>(dead.labels());
		sidecar.put(ProbeSandbox.SCRATCH_LABEL, "/srv/data/.virtwise-probe-x,/etc");
		engine.userContainer("vwprobe-" + dead.value() + "-sidecar", sidecar);
		Path deadDir = Files.createDirectories(tempRoot.resolve("vwprobe-" + dead.value() + "-host-dir"));
		Path liveDir = Files.createDirectories(tempRoot.resolve("vwprobe-" + live.value() + "-host-dir"));
		Path usersDir = Files.createDirectories(tempRoot.resolve("vwprobe-users-notes"));
		engine.log.clear();

		List<String> swept;
		try (ProbeSandbox sandbox = sandbox(me)) {
			swept = sandbox.sweepLeftovers();
			assertThat(engine.containers.values()).extracting(FakeDockerEngine.Obj::name).containsExactlyInAnyOrder("users-db",
					"users-app", "vwprobe-" + live.value() + "-client", "vwprobe-" + me.value() + "-client", "vwprobe-elsewhere");
		}
		finally {
			live.finished();
		}
		assertThat(swept).hasSize(5);
		assertThat(engine.volumes).containsOnlyKeys("users-volume", "vwprobe-" + live.value() + "-vol");
		assertThat(deadDir).doesNotExist();
		assertThat(liveDir).exists();
		assertThat(usersDir).exists();
		// the sidecar's scratch directories are wiped through a container, and only ours
		assertThat(engine.log).filteredOn(l -> l.startsWith("create vwprobe-" + me.value() + "-wipe-"))
			.singleElement().satisfies(l -> assertThat(l).endsWith(": rm -rf /srv/data/.virtwise-probe-x"));
	}
}
