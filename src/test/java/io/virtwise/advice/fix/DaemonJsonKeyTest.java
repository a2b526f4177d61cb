package io.virtwise.advice.fix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The daemon.json lines exactly as printed, run by bash and jq on a file in a temporary directory
 * (only its path differs), with pgrep answering for a dockerd whose command line is given.
 */
class DaemonJsonKeyTest {

	static final DaemonJsonKey PROXY = new DaemonJsonKey("userland-proxy", "false");

	record Result(int exit, String output) {
	}

	static Result run(String line, Path file, String dockerdCommandLine) throws IOException, InterruptedException {
		Path bin = file.getParent().getParent().resolve("bin");
		Files.createDirectories(bin);
		Path pgrep = bin.resolve("pgrep");
		Files.writeString(pgrep, "#!/bin/sh\necho '1234 " + dockerdCommandLine + "'\n");
		pgrep.toFile().setExecutable(true);
		ProcessBuilder pb = new ProcessBuilder("bash", "-c", line.replace(DaemonJsonKey.DAEMON_JSON, file.toString()))
			.redirectErrorStream(true);
		pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Result(p.exitValue(), out);
	}

	/** jq runs the lines; scripts/test installs it, so in CI (CI=true) a missing jq fails instead of skipping. */
	static boolean jq() throws Exception {
		boolean present = new ProcessBuilder("bash", "-c", "command -v jq").start().waitFor() == 0;
		if ("true".equals(System.getenv("CI"))) {
			org.junit.jupiter.api.Assertions.assertTrue(present, "jq is not installed (scripts/test installs it)");
		}
		return present;
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			no file                  | -
			other keys are kept      | {"storage-driver":"overlay2","log-opts":{"max-size":"10m"}}
			a value already there    | {"userland-proxy":true,"debug":true}
			""")
	void setsTheKeyKeepsTheRestAndTheRollbackPutsItBack(String why, String before, @TempDir Path tmp) throws Exception {
		assumeTrue(jq(), "jq is not installed (apt-get install jq)");
		Path file = tmp.resolve("etc/docker/daemon.json");
		if (!before.equals("-")) {
			Files.createDirectories(file.getParent());
			Files.writeString(file, before);
		}
		Result set = run(PROXY.set(), file, "/usr/bin/dockerd -H unix:///var/run/docker.sock");
		assertThat(set.exit()).as(set.output()).isZero();
		JsonNode after = FactsJson.MAPPER.readTree(Files.readString(file));
		assertThat(after.get("userland-proxy").asBoolean(true)).isFalse();
		if (!before.equals("-")) {
			FactsJson.MAPPER.readTree(before).fieldNames().forEachRemaining(k -> {
				if (!k.equals("userland-proxy")) {
					assertThat(after.get(k)).as(k).isEqualTo(readQuietly(before).get(k));
				}
			});
		}
		// a second run of the fix keeps the first note of how it was
		assertThat(run(PROXY.set(), file, "/usr/bin/dockerd").exit()).isZero();

		Result back = run(PROXY.rollback(), file, "/usr/bin/dockerd");
		assertThat(back.exit()).as(back.output()).isZero();
		JsonNode restored = FactsJson.MAPPER.readTree(Files.readString(file));
		assertThat(restored).isEqualTo(before.equals("-") ? FactsJson.MAPPER.readTree("{}") : readQuietly(before));
	}

	@Test
	void refusedWhenDockerdsCommandLineSetsIt(@TempDir Path tmp) throws Exception {
		assumeTrue(jq(), "jq is not installed (apt-get install jq)");
		Path file = tmp.resolve("etc/docker/daemon.json");
		Files.createDirectories(file.getParent());
		Files.writeString(file, "{\"debug\":true}");
		Result set = run(PROXY.set(), file, "/usr/bin/dockerd --userland-proxy=true");
		assertThat(set.exit()).isNotZero();
		assertThat(set.output()).contains("command line sets --userland-proxy");
		assertThat(Files.readString(file)).isEqualTo("{\"debug\":true}");
	}

	@Test
	void aFileThatIsNotJsonIsLeftAlone(@TempDir Path tmp) throws Exception {
		assumeTrue(jq(), "jq is not installed (apt-get install jq)");
		Path file = tmp.resolve("etc/docker/daemon.json");
		Files.createDirectories(file.getParent());
		Files.writeString(file, "nope{");
		assertThat(run(PROXY.set(), file, "/usr/bin/dockerd").exit()).isNotZero();
		assertThat(Files.readString(file)).isEqualTo("nope{");
	}

	private static JsonNode readQuietly(String json) {
		try {
			return FactsJson.MAPPER.readTree(json);
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}
}
