package io.virtwise.lab;

import io.virtwise.LabRequirement;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.github.dockerjava.api.DockerClient;
import io.virtwise.docker.inspect.DockerConnector;
import io.virtwise.probe.docker.ProbeSandbox;
import io.virtwise.probe.core.RunId;

/**
 * The real engine for integration tests. In CI (CI=true) an unreachable engine fails the test
 * loudly; on a developer's machine without Docker the test is skipped.
 */
public final class LabEngine {

	private LabEngine() {
	}

	public static DockerClient connect() {
		try {
			DockerClient docker = DockerConnector.connect(null);
			docker.pingCmd().exec();
			return docker;
		}
		catch (RuntimeException e) {
			LabRequirement.unavailable("the Docker engine is unreachable (scripts/lab-up starts it): " + e.getMessage(), e);
			return null;
		}
	}

	/** Everything on the engine carrying the probe label of this run id, or of any run when null. */
	public static List<String> labelled(DockerClient docker, String runId) {
		String filter = runId == null ? RunId.LABEL : RunId.LABEL + "=" + runId;
		List<String> found = new java.util.ArrayList<>();
		docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(filter)).exec()
			.forEach(c -> found.add("container " + String.join(",", c.getNames())));
		docker.listVolumesCmd().withFilter("label", List.of(filter)).exec().getVolumes()
			.forEach(v -> found.add("volume " + v.getName()));
		docker.listImagesCmd().withLabelFilter(filter).exec().forEach(i -> found.add("image " + i.getId()));
		return found;
	}

	/** probe docker against the lab's local engine, as the shell builds it. */
	public static io.virtwise.probe.docker.DockerProbe probe() {
		return new io.virtwise.probe.docker.DockerProbe(DockerConnector::connect, true);
	}

	/** The run ids of every container carrying the probe label. */
	public static java.util.Set<String> labelledRunIds(DockerClient docker) {
		java.util.Set<String> ids = new java.util.TreeSet<>();
		docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(RunId.LABEL)).exec()
			.forEach(c -> ids.add(c.getLabels().get(RunId.LABEL)));
		return ids;
	}

	/**
	 * Everything labelled by probe runs of one process (run ids end in its pid): a test checks
	 * its own runs only, since another checkout's tests may probe the same engine meanwhile.
	 */
	public static List<String> labelledByPid(DockerClient docker, long pid) {
		String suffix = "-" + pid;
		List<String> found = new java.util.ArrayList<>();
		docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(RunId.LABEL)).exec().stream()
			.filter(c -> c.getLabels().getOrDefault(RunId.LABEL, "").endsWith(suffix))
			.forEach(c -> found.add("container " + String.join(",", c.getNames())));
		docker.listVolumesCmd().withFilter("label", List.of(RunId.LABEL)).exec().getVolumes().stream()
			.filter(v -> v.getLabels() != null && v.getLabels().getOrDefault(RunId.LABEL, "").endsWith(suffix))
			.forEach(v -> found.add("volume " + v.getName()));
		docker.listImagesCmd().withLabelFilter(RunId.LABEL).exec().stream()
			.filter(i -> i.getLabels() != null && i.getLabels().getOrDefault(RunId.LABEL, "").endsWith(suffix))
			.forEach(i -> found.add("image " + i.getId()));
		try (var dirs = java.nio.file.Files.list(ProbeSandbox.TEMP_ROOT)) {
			dirs.map(d -> d.getFileName().toString())
				.filter(n -> n.startsWith(ProbeSandbox.TEMP_PREFIX) && n.contains(suffix + "-"))
				.forEach(n -> found.add("directory " + n));
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		return found;
	}

	/** Nothing left by any probe run of this test JVM. */
	public static void assertNothingLeftByThisProcess(DockerClient docker) {
		assertThat(labelledByPid(docker, ProcessHandle.current().pid())).as("left by this test process's probe runs").isEmpty();
	}

	/** One line per result, for the test log: the figures a reviewer wants to see. */
	public static String summary(io.virtwise.probe.core.ProbeReport report) {
		StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT, "run %s for %s: %.1f s%n",
				report.runId(), report.subject(), report.seconds()));
		report.results().forEach(r -> out.append(String.format(java.util.Locale.ROOT, "  %-15s %-15s %-10s %10.2f %-7s n=%d%s%s%n",
				r.path(), r.metric(), r.placement() == null ? "" : r.placement(), r.median(), r.unit(), r.repetitions(),
				r.p99() == null ? "" : String.format(java.util.Locale.ROOT, " p99=%.2f", r.p99()),
				r.ratioToBaseline() == null ? "" : String.format(java.util.Locale.ROOT, " ratio=%.2fx", r.ratioToBaseline()))));
		report.skipped().forEach(s -> out.append("  skipped: ").append(s).append('\n'));
		return out.toString();
	}

	public static void assertNothingLeft(DockerClient docker, String runId) {
		assertThat(labelled(docker, runId)).as("objects labelled %s=%s", RunId.LABEL, runId).isEmpty();
		try (var dirs = java.nio.file.Files.list(ProbeSandbox.TEMP_ROOT)) {
			assertThat(dirs.map(p -> p.getFileName().toString())
				.filter(n -> n.startsWith(ProbeSandbox.TEMP_PREFIX + runId + "-"))).isEmpty();
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
