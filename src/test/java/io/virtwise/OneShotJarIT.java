package io.virtwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;
import io.virtwise.shell.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar in one-shot mode, as scripts and CI pipelines use it. */
class OneShotJarIT {

	static final Path JAR = Path.of("target/virtwise.jar");
	static final String FIXTURE = "src/test/resources/shell/kvm-no-hugepages.json";

	@TempDir
	Path temp;

	record Result(int code, String out, String err) {
	}

	static Result virtwise(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("java", "-Dvirtwise.home=.", "-jar", JAR.toString()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
		byte[] out = process.getInputStream().readAllBytes();
		byte[] err = process.getErrorStream().readAllBytes();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
	}

	@Test
	void adviseOnFactsPrintsJsonOnStdoutOnly() throws Exception {
		Result r = virtwise("advise", "--facts", FIXTURE, "--format", "json");
		assertThat(r.code()).as(r.err()).isZero();
		assertThat(r.err()).isEmpty();
		JsonNode doc = FactsJson.MAPPER.readTree(r.out());
		assertThat(doc.get("recommendations").findValuesAsText("id")).contains("HOST-HUGEPAGES-PLAN");
	}

	@Test
	void failOnGivesExitOne() throws Exception {
		assertThat(virtwise("advise", "--facts", FIXTURE, "--fail-on", "medium").code()).isEqualTo(ExitCodes.FINDINGS);
	}

	@Test
	void failuresAreOneLineOnStderrWithTheDocumentedCode() throws Exception {
		Result unknown = virtwise("frobnicate");
		assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(unknown.out()).isEmpty();
		assertThat(unknown.err().strip().lines()).hasSize(1).first().asString().startsWith("virtwise: unknown command");

		Result missing = virtwise("advise", "--facts", "/nonexistent.json");
		assertThat(missing.code()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(missing.err().strip().lines()).hasSize(1);

		Result noRules = virtwise("--rules", temp.resolve("none").toString(), "advise", "--facts", FIXTURE);
		assertThat(noRules.code()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(noRules.err()).contains("does not exist").doesNotContain("\tat ");

		// it would name a session of nothing but itself
		Result save = virtwise("session", "save", "vwit-one-shot");
		assertThat(save.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(save.err().strip().lines()).hasSize(1).first().asString()
			.startsWith("virtwise: session save names the session it is typed in, and a one-shot command has none before it");

		Result garbage = virtwise("--docker", "garbage", "docker", "ls");
		assertThat(garbage.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(garbage.err().strip()).isEqualTo("virtwise: not a Docker engine address: 'garbage' "
				+ "(expected unix:///PATH/docker.sock or tcp://HOST:PORT)");
	}

	@Test
	void debugShowsTheStackTrace() throws Exception {
		Result r = virtwise("--debug", "advise", "--facts", "/nonexistent.json");
		assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(r.err()).contains("\tat ");
	}

	@Test
	void hostAndFactsExportWorkOnThisMachine() throws Exception {
		Result host = virtwise("host");
		assertThat(host.code()).as(host.err()).isZero();
		assertThat(host.out()).contains("Virtualisation", "/dev/kvm");
		Path facts = temp.resolve("facts.json");
		Result export = virtwise("facts", "export", facts.toString());
		assertThat(export.code()).as(export.err()).isZero();
		assertThat(FactsJson.read(facts).host().cpu()).isNotNull();
	}

	@Test
	void atFileRunsAScriptWithQuotedArguments() throws Exception {
		Result r = virtwise("@src/test/resources/shell/script-with-quotes.vw");
		assertThat(r.code()).as(r.err()).isZero();
		assertThat(r.out()).contains("HOST-HUGEPAGES-PLAN");
	}

	@Test
	void argumentsWithSpacesSurviveOneShotUse() throws Exception {
		Path spaced = temp.resolve("with space.json");
		Files.copy(Path.of(FIXTURE), spaced);
		Result r = virtwise("advise", "--facts", spaced.toString());
		assertThat(r.code()).as(r.err()).isZero();
		assertThat(r.out()).contains("HOST-HUGEPAGES-PLAN");
	}
}
