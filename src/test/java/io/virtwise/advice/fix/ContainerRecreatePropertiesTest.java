package io.virtwise.advice.fix;

import io.virtwise.advice.RecreateInputs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.virtwise.docker.runline.DockerRunLine;
import io.virtwise.docker.runline.ShellQuoting;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.MountInfo;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every re-create must be, checked over every container in the test resources and over
 * generated ones: it drops no mount (its create line, read back, has each mount the engine lists with
 * the same source and the same read-only flag), prints no redacted value, never removes the
 * original, has its way back, and is valid bash; or it is one comment saying why there is none.
 */
class ContainerRecreatePropertiesTest {

	static final String DATA_DIR = "/virtwise-moved-data";

	static Stream<RecreateInputs.Case> corpus() {
		return RecreateInputs.corpus().stream();
	}

	static Stream<RecreateInputs.Case> generated() {
		return RecreateInputs.generated(17, 300).stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void everyContainerInTheTestResources(RecreateInputs.Case c) {
		check(c);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("generated")
	void generatedContainers(RecreateInputs.Case c) {
		check(c);
	}

	@Test
	void thePropertiesAreNotVacuous() {
		// the corpus and the generator both give re-creates to check, not only refusals
		assertThat(RecreateInputs.corpus().stream().filter(c -> !ContainerRecreate.onHostNetwork(c.container(), c.all()).refused()))
			.hasSizeGreaterThan(3);
		List<RecreateInputs.Case> generated = RecreateInputs.generated(17, 300);
		// (those on user-defined networks are refused the host network: their names would go; moving a directory keeps them)
		assertThat(generated.stream().filter(c -> !ContainerRecreate.onHostNetwork(c.container(), c.all()).refused()))
			.hasSizeGreaterThan(100);
		assertThat(generated.stream().filter(c -> !ContainerRecreate.withDataVolume(c.container(), c.all(), "d", DATA_DIR).refused()))
			.hasSizeGreaterThan(150);
		// and among them, each kind of mount
		List<String> kinds = generated.stream().flatMap(c -> c.container().mounts().stream())
			.map(m -> m.type() + (m.name() != null && m.name().matches("[0-9a-f]{64}") ? " (anonymous)" : "")).distinct().toList();
		assertThat(kinds).contains("volume (anonymous)", "volume", "bind", "tmpfs");
	}

	static void check(RecreateInputs.Case c) {
		ContainerFacts container = c.container();
		SoftAssertions soft = new SoftAssertions();
		List<ContainerRecreate.Plan> plans = new ArrayList<>();
		if (!"host".equals(container.networkMode())) {
			plans.add(ContainerRecreate.onHostNetwork(container, c.all()));
		}
		plans.add(ContainerRecreate.withDataVolume(container, c.all(), container.name() + "-data", DATA_DIR));
		for (ContainerRecreate.Plan plan : plans) {
			if (c.mustRefuse() != null) {
				soft.assertThat(plan.refused()).as("%s must be refused (%s)", c.origin(), c.mustRefuse()).isTrue();
			}
			if (plan.refused()) {
				soft.assertThat(plan.fix()).as("a refusal is one comment").hasSize(1).allMatch(l -> l.startsWith(ContainerRecreate.REFUSED));
				soft.assertThat(plan.rollback()).as("a refusal changes nothing").isEmpty();
				continue;
			}
			checkPlan(soft, c, plan);
		}
		soft.assertAll();
	}

	static void checkPlan(SoftAssertions soft, RecreateInputs.Case c, ContainerRecreate.Plan plan) {
		ContainerFacts container = c.container();
		String name = container.name();
		String all = String.join("\n", plan.fix()) + "\n" + String.join("\n", plan.rollback());
		soft.assertThat(all).as("%s: nothing redacted is printed", c.origin()).doesNotContain(DockerRunEdits.REDACTED);

		// the original is never removed: no docker rm in the fix but in comments, and the rollback's only
		// removal is behind the check that NAME is not the original
		for (String line : plan.fix()) {
			soft.assertThat(command(line)).as("%s: fix line %s", c.origin(), line).doesNotContain("docker rm");
		}
		String guard = "[[ \"$(docker container inspect -f '{{.Id}}' " + ShellQuoting.quote(name) + " 2>/dev/null)\" != " + container.id() + "* ]] && ";
		for (String line : plan.rollback()) {
			if (command(line).contains("docker rm")) {
				soft.assertThat(line).as("%s: a removal in the rollback", c.origin()).startsWith(guard)
					.doesNotContain(" -v ", "--volumes");
			}
		}
		soft.assertThat(plan.rollback()).as("%s: the way back", c.origin())
			.contains("docker rename " + ShellQuoting.quote(name + ContainerRecreate.OLD_SUFFIX) + " " + ShellQuoting.quote(name));

		// the old container is renamed before it is stopped, and stopped before the new one is created
		int rename = indexOf(plan.fix(), "docker rename ");
		int stop = indexOf(plan.fix(), "docker stop ");
		int create = indexOf(plan.fix(), "docker create ");
		int start = indexOf(plan.fix(), "docker start ");
		soft.assertThat(List.of(rename, stop, create, start)).as("%s: rename, stop, create, start", c.origin()).isSorted()
			.doesNotContain(-1);
		if (create < 0) {
			return;
		}
		String createLine = command(plan.fix().get(create));
		DockerRunLine line = DockerRunLine.parse(createLine.substring(createLine.indexOf("docker create ")));
		for (MountInfo m : container.mounts()) {
			DockerRunLine.Mount written = line.mounts().stream().filter(w -> clean(w.destination()).equals(clean(m.destination())))
				.findFirst().orElse(null);
			soft.assertThat(written).as("%s: the mount at %s (%s)", c.origin(), m.destination(), m).isNotNull();
			if (written == null) {
				continue;
			}
			soft.assertThat(written.type()).as("%s: type at %s", c.origin(), m.destination()).isEqualTo(m.type());
			if (m.type().equals("volume")) {
				soft.assertThat(written.source()).as("%s: the volume at %s", c.origin(), m.destination()).isEqualTo(m.name());
			}
			if (m.type().equals("bind")) {
				soft.assertThat(written.source()).as("%s: the bind at %s", c.origin(), m.destination()).isEqualTo(m.source());
			}
			soft.assertThat(written.readOnly()).as("%s: read-only at %s", c.origin(), m.destination())
				.isEqualTo(Boolean.TRUE.equals(m.readOnly()));
		}
		soft.assertThat(line.mounts()).as("%s: no volume the engine would make anew", c.origin())
			.allMatch(m -> !m.type().equals("volume") || m.source() != null);
		soft.assertThat(line.values("--env-file")).as("%s: environment read from the old container", c.origin()).hasSize(1)
			.allMatch(v -> v.startsWith("<(docker container inspect ") && v.endsWith(" " + ShellQuoting.quote(name + ContainerRecreate.OLD_SUFFIX) + ")"));
		soft.assertThat(line.values("--label-file")).hasSize(1);
		soft.assertThat(line.has("-e") || line.has("--env") || line.has("--label") || line.has("-l") || line.has("--rm")).isFalse();
		soft.assertThat(line.values("--name")).containsExactly(name);
		soft.assertThat(bashSyntaxError(plan)).as("%s: bash -n", c.origin()).isEmpty();
	}

	/** A line without its trailing comment; a comment line gives nothing. */
	static String command(String line) {
		if (line.startsWith("#")) {
			return "";
		}
		int comment = line.indexOf("   # ");
		int note = line.indexOf("  # ");
		int cut = comment >= 0 ? comment : note;
		return cut >= 0 ? line.substring(0, cut) : line;
	}

	static int indexOf(List<String> lines, String command) {
		for (int i = 0; i < lines.size(); i++) {
			if (command(lines.get(i)).contains(command)) {
				return i;
			}
		}
		return -1;
	}

	static String clean(String path) {
		return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	/** What bash -n says of the fix and rollback lines; empty when they parse. */
	static String bashSyntaxError(ContainerRecreate.Plan plan) {
		try {
			Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
			bash.getOutputStream().write((String.join("\n", plan.fix()) + "\n" + String.join("\n", plan.rollback()) + "\n")
				.getBytes(StandardCharsets.UTF_8));
			bash.getOutputStream().close();
			String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			bash.waitFor(10, TimeUnit.SECONDS);
			return bash.exitValue() == 0 ? "" : out;
		}
		catch (IOException | InterruptedException e) {
			throw new IllegalStateException("bash is needed to check the printed lines", e);
		}
	}
}
