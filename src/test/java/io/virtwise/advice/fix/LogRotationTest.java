package io.virtwise.advice.fix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon.json lines exactly as printed, run by bash and jq on a copy of the file in a temporary
 * directory (only the path differs): the merge keeps every key already there, refuses a driver that
 * takes no max-size, and the rollback, run once or twice, leaves the file as it was.
 */
class LogRotationTest {

	@BeforeAll
	static void needsBashAndJq() throws Exception {
		boolean jq = run("command -v jq", null).exit() == 0;
		// in CI (scripts/test installs jq) a missing jq is a failure, never a skip
		if ("true".equals(System.getenv("CI"))) {
			org.junit.jupiter.api.Assertions.assertTrue(jq, "jq is not installed (scripts/test installs it)");
		}
		assumeTrue(jq, "jq is not installed (apt-get install jq)");
	}

	record Result(int exit, String output) {
	}

	static Result run(String line, Path daemonJson) throws IOException, InterruptedException {
		String script = daemonJson == null ? line : line.replace(LogRotation.DAEMON_JSON, daemonJson.toString());
		Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Result(p.exitValue(), out);
	}

	/** Each case: what daemon.json holds before ("-" for no file), and the log-opts wanted after ("-" for unchanged). */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			no file                         | -                                                      | {"max-size":"10m","max-file":"3"}
			other keys are kept             | {"storage-driver":"overlay2","debug":true}             | {"max-size":"10m","max-file":"3"}
			a max-size already set wins     | {"log-opts":{"max-size":"50m","labels":"team"}}         | {"max-size":"50m","max-file":"3","labels":"team"}
			local takes max-size            | {"log-driver":"local"}                                 | {"max-size":"10m","max-file":"3"}
			journald does not: unchanged    | {"log-driver":"journald"}                              | -
			not JSON: unchanged             | nope{                                                  | -
			""")
	void theMergeKeepsWhatIsThereAndTheRollbackRestoresIt(String why, String before, String wanted, @TempDir Path tmp)
			throws Exception {
		Path file = tmp.resolve("etc/docker/daemon.json");
		Files.createDirectories(file.getParent());
		if (!before.equals("-")) {
			Files.writeString(file, before + "\n");
		}

		Result fix = run(LogRotation.daemonJsonMerge(), file);

		if (wanted.equals("-")) {
			assertThat(Files.readString(file)).isEqualTo(before + "\n");
		}
		else {
			assertThat(fix.exit()).as(fix.output()).isZero();
			JsonNode after = FactsJson.MAPPER.readTree(file.toFile());
			assertThat(after.get("log-opts")).isEqualTo(FactsJson.MAPPER.readTree(wanted));
			if (!before.equals("-")) {
				// every other key as it was
				JsonNode old = FactsJson.MAPPER.readTree(before);
				old.fieldNames().forEachRemaining(k -> {
					if (!k.equals("log-opts")) {
						assertThat(after.get(k)).isEqualTo(old.get(k));
					}
				});
			}
		}
		assertThat(Files.exists(file.resolveSibling("daemon.json.virtwise-new"))).isFalse();

		// twice: a rollback run again must not take away the file it restored
		for (int i = 0; i < 2; i++) {
			assertThat(run(LogRotation.daemonJsonRollback(), file).exit()).isZero();
			if (before.equals("-")) {
				assertThat(file).doesNotExist();
			}
			else {
				assertThat(Files.readString(file)).isEqualTo(before + "\n");
			}
		}
		try (var left = Files.list(file.getParent())) {
			assertThat(left.map(p -> p.getFileName().toString()).toList())
				.isEqualTo(before.equals("-") ? List.of() : List.of("daemon.json"));
		}
	}
}
