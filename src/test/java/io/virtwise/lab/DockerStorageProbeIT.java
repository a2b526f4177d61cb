package io.virtwise.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.virtwise.docker.runline.ShellQuoting;
import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.FioOutput;
import io.virtwise.probe.core.ProbeOptions;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.probe.docker.ProbeSandbox;
import io.virtwise.probe.core.RunId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code probe docker --only storage} against the lab's real engine. */
class DockerStorageProbeIT {

	static DockerClient docker;

	@BeforeAll
	static void engine() {
		docker = LabEngine.connect();
	}

	static ProbeResult find(ProbeReport report, String path, String metric) {
		return report.results().stream().filter(r -> r.path().equals(path) && r.metric().equals(metric)).findFirst()
			.orElseThrow(() -> new AssertionError("no " + path + " " + metric + " in " + LabEngine.summary(report)));
	}

	@Test
	void quickProbeMeasuresEveryPlaceWithinThirtySecondsAndLeavesNothing() {
		ProbeReport report = LabEngine.probe().run(ProbeOptions.of(null, true, "storage", null), ProbeProgress.NONE);
		System.out.println(LabEngine.summary(report));

		assertThat(report.seconds()).isLessThanOrEqualTo(30);
		double base = find(report, "host-dir", "randread-iops").median();
		for (String path : List.of("host-dir", "writable-layer", "bind-mount", "volume")) {
			for (String metric : List.of("randread-iops", "randwrite-iops")) {
				ProbeResult r = find(report, path, metric);
				assertThat(r.median()).as(path + " " + metric).isGreaterThan(0);
				assertThat(r.min()).isLessThanOrEqualTo(r.median());
				assertThat(r.max()).isGreaterThanOrEqualTo(r.median());
				assertThat(r.unit()).isEqualTo("IOPS");
				assertThat(r.commands()).as("warm-up, then the measured run")
					.anyMatch(c -> c.contains("fio --output-format=json") && c.contains("--name=warm-up"))
					.last().asString().contains("fio --output-format=json", "--direct=1", "--size=256m", "--ramp_time=",
							"--time_based");
			}
			assertThat(find(report, path, "randread-iops").baselineMedian()).isEqualTo(base);
		}
		// small-file runs come last: on a loaded machine the 30 s deadline may cut one, which must then be
		// listed as skipped with the reason, never shown as a number
		for (String path : List.of("host-dir", "writable-layer", "volume")) {
			var measured = report.results().stream().filter(r -> r.path().equals(path) && r.metric().equals("small-file-ops")).findFirst();
			if (measured.isPresent()) {
				assertThat(measured.get().median()).as(path).isGreaterThan(0);
			}
			else {
				assertThat(report.skipped()).as("small-file-ops on " + path + " neither measured nor skipped")
					.anyMatch(k -> path.equals(k.path()) && k.what().contains("small-file") && k.reason().contains("deadline"));
			}
		}
		// overlayfs on this kernel accepts O_DIRECT; the notes say which paths bypass the page cache
		assertThat(report.notes()).anyMatch(n -> n.startsWith("O_DIRECT (--direct=1) on ") && n.contains("writable-layer"));
		LabEngine.assertNothingLeft(docker, report.runId());
		LabEngine.assertNothingLeftByThisProcess(docker);
	}

	@Test
	void fullPlanAddsSequentialAndCopyUp() throws IOException {
		ProbeReport report = LabEngine.probe().run(ProbeOptions.of(null, false, "storage", 3), ProbeProgress.NONE);
		System.out.println(LabEngine.summary(report));

		assertThat(report.seconds()).isLessThanOrEqualTo(120);
		for (String path : List.of("host-dir", "writable-layer", "bind-mount", "volume")) {
			assertThat(find(report, path, "seqread-mbps").median()).isGreaterThan(0);
			assertThat(find(report, path, "seqwrite-mbps").median()).isGreaterThan(0);
			assertThat(find(report, path, "randread-iops").repetitions()).isEqualTo(3);
			assertThat(find(report, path, "randwrite-iops").commands()).last().asString()
				.contains("--ramp_time=500ms", "--runtime=1000ms", "--name=seqwrite");
		}
		// the engine runs here, so each repetition's 1 MiB reads were watched at the disk; fio's buffer lies in
		// one transparent huge page, so they went whole (1,024 KiB per request, where malloc's scattered pages
		// split some in two), never the 4 KiB of the random jobs and never missing
		String requests = report.notes().stream().filter(n -> n.startsWith("seqread: the 1 MiB reads reached the disk"))
			.findFirst().orElseThrow(() -> new AssertionError("no request-size note in " + report.notes()));
		String thp = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
		assertThat(thp).as("the lab's THP mode, which the huge-page buffer needs").doesNotContain("[never]");
		assertThat(report.notes()).as("the buffer note").anyMatch(n -> n.startsWith("1 MiB I/O from a buffer asked to lie in one transparent huge page"));
		for (String path : List.of("host-dir", "writable-layer", "bind-mount", "volume")) {
			Matcher figures = Pattern.compile(" " + path + " ([\\d, -]+)[;(]").matcher(requests);
			assertThat(figures.find()).as(requests).isTrue();
			assertThat(figures.group(1).trim().split(", ")).as(requests).hasSize(3)
				.allSatisfy(kib -> assertThat(Integer.parseInt(kib)).isBetween(769, 1024));
			assertThat(find(report, path, "seqread-mbps").commands()).last().asString()
				.startsWith("docker exec ").contains(" env GLIBC_TUNABLES=glibc.malloc.hugetlb=1:", " fio ", "--iomem_align=2m");
		}
		Matcher disk = Pattern.compile("\\((\\w+) takes up to (\\d+) segments and (\\d+) KiB per request").matcher(requests);
		assertThat(disk.find()).as(requests).isTrue();
		assertThat(disk.group(2)).isEqualTo(Files.readString(Path.of("/sys/block", disk.group(1), "queue/max_segments")).trim());
		assertThat(disk.group(3)).isEqualTo(Files.readString(Path.of("/sys/block", disk.group(1), "queue/max_sectors_kb")).trim());
		ProbeResult copyUp = find(report, "writable-layer", "copy-up-ms");
		assertThat(copyUp.repetitions()).isEqualTo(3);
		assertThat(copyUp.baselineMedian()).as("the later write").isGreaterThan(0);
		assertThat(copyUp.median()).as("copying 256 MiB up costs more than rewriting 4 KiB").isGreaterThan(copyUp.baselineMedian() * 5);
		assertThat(copyUp.commands()).anyMatch(c -> c.startsWith("docker commit "))
			.anyMatch(c -> c.contains("conv=notrunc"));
		LabEngine.assertNothingLeft(docker, report.runId());
		LabEngine.assertNothingLeftByThisProcess(docker);
	}

	@Test
	void aContainersMountsAreProbedFromASidecarAndOurScratchFilesGoAway() throws Exception {
		try (LabTarget target = new LabTarget(docker)) {
			InspectContainerResponse before = docker.inspectContainerCmd(target.id).exec();
			ProbeReport report = LabEngine.probe().run(ProbeOptions.of(target.name, true, "storage", null), ProbeProgress.NONE);
			System.out.println(LabEngine.summary(report));

			ProbeResult volume = find(report, "volume", "randwrite-iops");
			assertThat(volume.subject()).isEqualTo(target.name);
			assertThat(volume.median()).isGreaterThan(0);
			assertThat(volume.commands()).anyMatch(c -> c.contains("--volumes-from " + target.name));
			assertThat(find(report, "bind-mount", "randread-iops").median()).isGreaterThan(0);
			assertThat(find(report, "writable-layer", "randread-iops").median()).isGreaterThan(0);

			InspectContainerResponse after = docker.inspectContainerCmd(target.id).exec();
			assertThat(after.getExecIds()).as("nobody exec'd into the target").isNullOrEmpty();
			assertThat(after.getState().getStartedAt()).isEqualTo(before.getState().getStartedAt());
			try (var left = Files.list(target.bindDir)) {
				assertThat(left.toList()).as("scratch files in the target's bind mount").isEmpty();
			}
			Path volumeData = Path.of(docker.inspectVolumeCmd(target.volume).exec().getMountpoint());
			try (var left = Files.list(volumeData)) {
				assertThat(left.toList()).as("scratch files in the target's volume").isEmpty();
			}
			LabEngine.assertNothingLeft(docker, report.runId());
		}
	}

	@Test
	void aKeptRunIsRerunByHandOnTheSameFileAndTheNextRunSweepsIt() throws Exception {
		ProbeReport kept = LabEngine.probe().run(ProbeOptions.of(null, true, "storage", null).withKeep(true), ProbeProgress.NONE);
		System.out.println(LabEngine.summary(kept));
		try {
			assertThat(kept.notes()).anyMatch(n -> n.startsWith("kept (--keep), labelled " + RunId.LABEL + "=" + kept.runId())
					&& n.contains("docker rm -f $(docker ps -aq --filter label=" + RunId.LABEL + "=" + kept.runId() + ")")
					&& n.contains("rm -rf /var/tmp/vwprobe-" + kept.runId() + "-*"));
			Path fioFile = ProbeSandbox.TEMP_ROOT.resolve("vwprobe-" + kept.runId() + "-host-dir/virtwise-fio.dat");
			assertThat(fioFile).as("the measured file stays").exists();
			assertThat(Files.size(fioFile)).isEqualTo(256L << 20);
			assertThat(LabEngine.labelled(docker, kept.runId())).anyMatch(o -> o.startsWith("container "))
				.anyMatch(o -> o.startsWith("volume "));

			// the recorded measured line, run by hand exactly as the report shows it, on the same file
			List<String> commands = find(kept, "host-dir", "randwrite-iops").commands();
			Process fio = new ProcessBuilder(ShellQuoting.split(commands.get(commands.size() - 1)).words())
				.redirectError(ProcessBuilder.Redirect.DISCARD).start();
			String out = new String(fio.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			assertThat(fio.waitFor()).as(out).isZero();
			assertThat(FioOutput.parse(out).require("randwrite").writeIops()).isGreaterThan(0);
		}
		finally {
			ProbeReport next = LabEngine.probe().run(ProbeOptions.of(null, true, "storage", 1), ProbeProgress.NONE);
			assertThat(next.sweptLeftovers()).as("the next run removes what was kept")
				.anyMatch(l -> l.startsWith("container vwprobe-" + kept.runId()) || l.startsWith("container /vwprobe-" + kept.runId()))
				.anyMatch(l -> l.equals("directory /var/tmp/vwprobe-" + kept.runId() + "-host-dir"));
			LabEngine.assertNothingLeft(docker, kept.runId());
			LabEngine.assertNothingLeft(docker, next.runId());
		}
	}

	@Test
	void aKilledRunsLeftoversAreSweptButALiveRunsAreNot() throws Exception {
		// a run whose process is gone (no pid this large exists) and one that is this very process
		// pids never exceed 2^22 on Linux; a random larger one keeps parallel test runs apart
		long deadPid = 10_000_000L + java.util.concurrent.ThreadLocalRandom.current().nextLong(900_000_000L);
		String dead = Long.toString(Instant.now().minusSeconds(30).getEpochSecond(), 36) + "-" + deadPid;
		RunId liveRun = RunId.create(); // another run of this process, still going on
		String live = liveRun.value();
		for (String run : List.of(dead, live)) {
			Map<String, String> labels = Map.of(RunId.LABEL, run, RunId.HOST_LABEL, java.nio.file.Files.readString(
					Path.of("/proc/sys/kernel/hostname")).strip());
			docker.createContainerCmd(ProbeOptions.IMAGE).withName("vwprobe-" + run + "-left").withLabels(labels)
				.withCmd("sleep", "infinity").exec();
			docker.createVolumeCmd().withName("vwprobe-" + run + "-vol").withLabels(labels).exec();
			Files.createDirectories(ProbeSandbox.TEMP_ROOT.resolve("vwprobe-" + run + "-host-dir"));
		}
		Path foreign = Files.createDirectories(ProbeSandbox.TEMP_ROOT.resolve("virtwise-probe-root.notours-" + deadPid));
		try (ProbeSandbox sandbox = new ProbeSandbox(docker, RunId.create(), ProbeOptions.IMAGE)) {
			List<String> removed = sandbox.sweepLeftovers();
			assertThat(removed).anyMatch(r -> r.contains(dead + "-left")).anyMatch(r -> r.contains(dead + "-vol"))
				.anyMatch(r -> r.contains(dead + "-host-dir"));
			assertThat(removed).noneMatch(r -> r.contains(live));
			assertThat(LabEngine.labelled(docker, dead)).isEmpty();
			assertThat(LabEngine.labelled(docker, live)).hasSize(2);
			assertThat(ProbeSandbox.TEMP_ROOT.resolve("vwprobe-" + dead + "-host-dir")).doesNotExist();
			assertThat(foreign).as("a directory not named like ours is never swept").exists();
		}
		finally {
			docker.removeContainerCmd("vwprobe-" + live + "-left").withForce(true).exec();
			docker.removeVolumeCmd("vwprobe-" + live + "-vol").exec();
			Files.deleteIfExists(ProbeSandbox.TEMP_ROOT.resolve("vwprobe-" + live + "-host-dir"));
			Files.deleteIfExists(foreign);
			liveRun.finished();
		}
		LabEngine.assertNothingLeftByThisProcess(docker);
	}

	@Test
	void theSandboxIsRemovedWhenTheRunFailsHalfway() {
		ProbeSandbox sandbox = new ProbeSandbox(docker, RunId.create(), ProbeOptions.IMAGE);
		String runId = sandbox.runId().value();
		try (sandbox) {
			sandbox.run(sandbox.container("half", "sleep", "infinity"));
			sandbox.createVolume("half");
			throw new IllegalStateException("probe failed halfway");
		}
		catch (IllegalStateException expected) {
			// the try-with-resources closed the sandbox on the way out
		}
		LabEngine.assertNothingLeft(docker, runId);
	}
}
