package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;
import io.virtwise.probe.kvm.GuestCpuProbe;
import io.virtwise.probe.kvm.HugePages;
import io.virtwise.probe.kvm.ProbeGuest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.shell.test.ShellScreen;
import org.springframework.shell.test.ShellTestClient;
import org.springframework.shell.test.autoconfigure.ShellTest;

/**
 * The shell as a user meets it, driven through Spring Shell's test client and through the
 * runner every typed line goes through. The rules folder is a private copy of rules/, so a test
 * can break it without touching the real one.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class ShellCommandsTest {

	static final Path RULES_COPY = copyOfRules();

	static final String FIXTURE = "src/test/resources/shell/kvm-no-hugepages.json";

	@TestConfiguration
	static class Options {
		@Bean
		@Primary
		LaunchOptions testLaunchOptions() {
			return new LaunchOptions(Path.of(".").toAbsolutePath(), RULES_COPY, false, true, List.of());
		}

		/** A probe guest cache with nothing in it, as on a host where scripts/build-probe-guest never ran. */
		@Bean
		@Primary
		GuestCpuProbe testGuestCpuProbe() {
			Path none = Path.of("target/no-probe-guest");
			return new GuestCpuProbe(new ProbeGuest(none, none), new HugePages(none, none));
		}
	}

	@Autowired
	ShellTestClient client;

	@Autowired
	CommandRunner runner;

	@TempDir
	Path temp;

	static Path copyOfRules() {
		try {
			Path dir = Files.createTempDirectory("virtwise-rules");
			try (Stream<Path> files = Files.list(Path.of("rules"))) {
				for (Path file : files.toList()) {
					Files.copy(file, dir.resolve(file.getFileName()));
				}
			}
			return dir;
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	ShellRun run(String line) {
		return ShellRun.of(runner, line);
	}

	@Test
	void helpListsTheCommands() throws Exception {
		ShellScreen screen = client.sendCommand("help");
		String text = String.join("\n", screen.lines());
		assertThat(text).contains("host", "advise", "rules", "rules reload", "facts export", "script");
	}

	@Test
	void helpForOneCommandShowsItsOptions() throws Exception {
		String text = String.join("\n", client.sendCommand("help advise").lines());
		assertThat(text).contains("--facts", "--format", "--fail-on");
		// one word between options, the value each takes, and arguments too (Spring Shell's own ran them together)
		assertThat(text).contains("advise [--facts FILE] [--format text|json|markdown] [--fail-on info|low|medium|high|critical] "
				+ "[--timing] [--help]", "--format text|json|markdown  (default text)");
		assertThat(String.join("\n", client.sendCommand("help facts import").lines())).contains("facts import FILES... [--clear] [--help]");
		assertThat(run("help session diff").out()).contains(
				"session diff BEFORE AFTER [--format text|json|markdown|html] [--output FILE] [--help]");
	}

	@Test
	void helpForACommandThatDoesNotExistIsAUsageError() {
		ShellRun run = run("help no such");
		assertThat(run.err()).isEqualTo("virtwise: no command 'no such' (type 'help' to list commands)\n");
		assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
	}

	@Test
	void adviseOnAFactsFileShowsEvidenceFixTradeOffAndSource() {
		ShellRun run = run("advise --facts " + FIXTURE);
		assertThat(run.code()).isZero();
		assertThat(run.err()).isEmpty();
		assertThat(run.out()).contains("HOST-HUGEPAGES-PLAN", "evidence:", "kvmNode.cells[0].pages[2048kB] = total 0", "fix:",
				"nr_hugepages", "trade-off:", "source:", "RC25482", "restart:", "rule: kvm-memory.drl");
	}

	@Test
	void adviseAsJsonIsMachineReadable() throws Exception {
		ShellRun run = run("advise --facts " + FIXTURE + " --format json");
		assertThat(run.code()).isZero();
		JsonNode doc = FactsJson.MAPPER.readTree(run.out());
		assertThat(doc.get("rulesHash").asText()).hasSize(64);
		assertThat(doc.get("recommendations").findValuesAsText("id")).contains("HOST-HUGEPAGES-PLAN");
		JsonNode first = doc.get("recommendations").get(0);
		assertThat(first.get("evidence").isArray()).isTrue();
		assertThat(first.has("needsRestart")).isTrue();
	}

	@Test
	void adviseAsMarkdownHasATableAndFixBlocks() {
		ShellRun run = run("advise --facts " + FIXTURE + " --format markdown");
		assertThat(run.out()).contains("# virtwise advice", "| severity | id |", "## HOST-HUGEPAGES-PLAN", "```sh");
	}

	@Test
	void failOnSetsExitCodeOneOnlyAtOrAboveTheThreshold() {
		assertThat(run("advise --facts " + FIXTURE + " --fail-on medium").code()).isEqualTo(ExitCodes.FINDINGS);
		assertThat(run("advise --facts " + FIXTURE + " --fail-on critical").code()).isEqualTo(ExitCodes.OK);
		ShellRun bad = run("advise --facts " + FIXTURE + " --fail-on urgent");
		assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(bad.err()).contains("unknown severity 'urgent'");
	}

	@Test
	void badInputGivesOneClearLineAndTheShellGoesOn() {
		ShellRun unknown = run("adviseX");
		assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(unknown.err()).contains("unknown command 'adviseX'").doesNotContain("Exception", "\tat ");

		ShellRun option = run("advise --colour red");
		assertThat(option.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(option.err()).contains("unknown option --colour for 'advise'", "--fail-on");

		// Spring Shell drops extra words silently; here they are a usage error, and @Arguments still takes any number
		ShellRun twoNames = run("docker show web db");
		assertThat(twoNames.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(twoNames.err().strip()).isEqualTo("virtwise: 'docker show' takes one argument; not expected: db");
		ShellRun engineExtra = run("docker engine extra --format json");
		assertThat(engineExtra.err().strip()).isEqualTo("virtwise: 'docker engine' takes no arguments; not expected: extra");
		assertThat(run("session diff a b c").err().strip()).isEqualTo("virtwise: 'session diff' takes 2 arguments; not expected: c");
		assertThat(run("facts import /nonexistent/a.json /nonexistent/b.json").err()).doesNotContain("not expected");

		ShellRun reps = run("probe docker --reps abc");
		assertThat(reps.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(reps.err().strip()).isEqualTo("virtwise: option --reps of 'probe docker' takes a whole number, not 'abc'");

		ShellRun format = run("advise --facts " + FIXTURE + " --format yaml");
		assertThat(format.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(format.err()).contains("unknown format 'yaml'");

		ShellRun missing = run("advise --facts /nonexistent/facts.json");
		assertThat(missing.code()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(missing.err().lines()).hasSize(1).first().asString().contains("does not exist");

		ShellRun notJson = run("advise --facts src/test/resources/shell/not-json.json");
		assertThat(notJson.code()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(notJson.err()).contains("is not JSON");

		ShellRun future = run("advise --facts src/test/resources/shell/future-schema.json");
		assertThat(future.code()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(future.err()).contains("schema 99", "newer than this virtwise");

		ShellRun unclosed = run("advise --facts 'x.json");
		assertThat(unclosed.code()).isEqualTo(ExitCodes.USAGE);

		// and after all that the shell still answers
		assertThat(run("advise --facts " + FIXTURE).code()).isZero();
	}

	@Test
	void rulesListsRulesWithTheirFiles() {
		ShellRun run = run("rules");
		assertThat(run.code()).isZero();
		assertThat(run.out()).contains("host-memory.drl", "Huge pages the guests need are not reserved", "rules in");
	}

	@Test
	void aBrokenRuleFileIsReportedWithItsLocationAndTheOldRuleBaseStays() throws IOException {
		Path broken = RULES_COPY.resolve("zz-broken.drl");
		Files.writeString(broken, "package broken;\n\nrule \"half a rule\"\nwhen\n    String( \nthen\nend\n");
		try {
			ShellRun reload = run("rules reload");
			assertThat(reload.code()).isEqualTo(ExitCodes.BAD_INPUT);
			assertThat(reload.err()).containsPattern("zz-broken\\.drl:\\d+:\\d+");
			assertThat(run("advise --facts " + FIXTURE).out()).contains("HOST-HUGEPAGES-PLAN");
		}
		finally {
			Files.delete(broken);
		}
		ShellRun fixed = run("rules reload");
		assertThat(fixed.code()).isZero();
		assertThat(fixed.out()).contains("Reloaded");
	}

	@Test
	void factsExportWritesAFileThatAdviseReadsBack() throws Exception {
		Path file = temp.resolve("out dir/facts.json");
		ShellRun export = run("facts export '" + file + "'");
		assertThat(export.code()).as(export.err()).isZero();
		assertThat(FactsJson.read(file).host()).isNotNull();
		ShellRun advise = run("advise --facts '" + file + "' --format json");
		assertThat(advise.code()).as(advise.err()).isZero();
		assertThat(FactsJson.MAPPER.readTree(advise.out()).get("factsFrom").asText()).isEqualTo(file.toString());
		assertThat(run("facts export").err()).contains("facts export needs a file name");
	}

	@Test
	void hostShowsSectionsAndJson() throws Exception {
		ShellRun text = run("host");
		assertThat(text.code()).as(text.err()).isZero();
		assertThat(text.out()).contains("Host ", "topology", "Memory", "Virtualisation", "/dev/kvm");
		ShellRun json = run("host --format json");
		assertThat(FactsJson.MAPPER.readTree(json.out()).get("cpu").get("threads").asInt()).isPositive();
	}

	@Test
	void scriptsHandleQuotesCommentsAndStopAtTheFirstFailure() throws IOException {
		ShellRun ok = run("script src/test/resources/shell/script-with-quotes.vw");
		assertThat(ok.code()).as(ok.err()).isZero();
		assertThat(ok.out()).contains("virtwise> rules", "HOST-HUGEPAGES-PLAN");

		Path failing = temp.resolve("failing.vw");
		Files.writeString(failing, "rules\nnosuchcommand\nhost\n");
		ShellRun bad = run("script " + failing);
		assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(bad.out()).contains("virtwise> nosuchcommand").doesNotContain("virtwise> host");
		assertThat(bad.out()).contains("stopped at line 2");
	}

	@Test
	void probeKvmCpuWithoutAProbeGuestSaysHowToBuildOne() {
		ShellRun run = run("probe kvm-cpu --quick");
		assertThat(run.code()).isEqualTo(ExitCodes.UNAVAILABLE);
		assertThat(run.err()).contains("no probe guest with sysbench in target/no-probe-guest", "scripts/build-probe-guest");
		assertThat(run.out()).isEmpty();
		assertThat(run("probe kvm-cpu --format yaml").code()).isEqualTo(ExitCodes.USAGE);
	}
}
