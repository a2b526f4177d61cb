package io.virtwise.shell.view;

import io.virtwise.shell.CommandRunner;
import io.virtwise.shell.ExitCodes;
import io.virtwise.shell.LaunchOptions;
import io.virtwise.shell.ShellRun;
import io.virtwise.shell.TabCompletion;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.test.autoconfigure.ShellTest;
import org.springframework.util.FileSystemUtils;

/**
 * One output contract for every command that prints data: {@code --format json} is one JSON
 * document written in one style, an unknown format is one line and exit 2, and the choices complete
 * on Tab and show in help. KVM commands use libvirt's built-in test:///default driver (its running
 * domain "test"), sessions a private copy of the shipped examples.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class OutputFormatsShellTest {

	static final String TEST_LIBVIRT = " --libvirt test:///default";
	static final String FACTS = "src/test/resources/facts/untuned-host.json";
	static final Path SESSIONS = copyOfExampleSessions();

	/**
	 * Every data command, with a line that prints data offline (null: it needs the lab or runs for
	 * minutes, so only its format checking is run here).
	 */
	static final Map<String, String> DATA_COMMANDS = new TreeMap<>(Map.ofEntries(
			Map.entry("host", "host"),
			Map.entry("advise", "advise --facts " + FACTS),
			Map.entry("rules", "rules"),
			Map.entry("kvm node", "kvm node" + TEST_LIBVIRT),
			Map.entry("kvm ls", "kvm ls" + TEST_LIBVIRT),
			Map.entry("kvm show", "kvm show test" + TEST_LIBVIRT),
			Map.entry("kvm stats", "kvm stats test --seconds 1" + TEST_LIBVIRT),
			Map.entry("session list", "session list"),
			Map.entry("session show", "session show example-untuned"),
			Map.entry("session diff", "session diff example-untuned example-tuned"),
			Map.entry("docker engine", "docker engine"),
			Map.entry("docker ls", "docker ls"),
			Map.entry("docker show", "docker show vwtest-no-such-container"),
			Map.entry("probe docker", "probe docker"),
			Map.entry("probe kvm", "probe kvm"),
			Map.entry("probe kvm-cpu", "probe kvm-cpu")));

	/** Commands that act, or print a message rather than data; each new command must join one of the two. */
	static final Set<String> OTHER_COMMANDS = Set.of("help", "clear", "exit", "quit", "history", "version", "script", "rules reload",
			"facts export", "facts import", "session save", "session replay", "fix apply", "fix rollback");

	/** Their lines for --format json that run here without the lab, quickly. */
	static final Set<String> RUN_OFFLINE = Set.of("host", "advise", "rules", "kvm node", "kvm ls", "kvm show", "kvm stats", "session list",
			"session show", "session diff");

	@TestConfiguration
	static class Options {
		@Bean
		@Primary
		LaunchOptions exampleSessionsLaunchOptions() {
			return new LaunchOptions(Path.of(".").toAbsolutePath(), Path.of("rules").toAbsolutePath(), false, true,
					List.of(), null, null, SESSIONS);
		}
	}

	static Path copyOfExampleSessions() {
		try {
			Path dir = Files.createTempDirectory("vwtest-sessions");
			try (Stream<Path> files = Files.list(Path.of("sessions"))) {
				for (Path f : files.filter(f -> f.toString().endsWith(".session.jsonl")).toList()) {
					Files.copy(f, dir.resolve(f.getFileName()));
				}
			}
			return dir;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@AfterAll
	static void removeSessions() {
		FileSystemUtils.deleteRecursively(SESSIONS.toFile());
	}

	@Autowired
	CommandRunner runner;

	@Autowired
	CommandRegistry registry;

	@Autowired
	org.springframework.shell.jline.CommandCompleter completer;

	ShellRun run(String line) {
		return ShellRun.of(runner, line);
	}

	/** Exactly one JSON object or array on stdout, nothing before or after it. */
	static JsonNode oneDocument(ShellRun run) throws IOException {
		try (JsonParser parser = FactsJson.MAPPER.createParser(run.out())) {
			JsonNode document = FactsJson.MAPPER.readTree(parser);
			assertThat(document).as(run.out()).isNotNull();
			assertThat(document.isContainerNode()).as(run.out()).isTrue();
			assertThat(parser.nextToken()).as("nothing after the JSON document").isNull();
			return document;
		}
	}

	@Test
	void everyCommandIsADataCommandWithFormatOrOneThatPrintsNoData() {
		Set<String> registered = registry.getCommands().stream().map(Command::getName).collect(Collectors.toCollection(TreeSet::new));
		Set<String> withFormat = registry.getCommands().stream()
			.filter(c -> c.getOptions().stream().anyMatch(o -> "format".equals(o.longName())))
			.map(Command::getName).collect(Collectors.toCollection(TreeSet::new));
		assertThat(withFormat).isEqualTo(DATA_COMMANDS.keySet());
		Set<String> unclassified = new TreeSet<>(registered);
		unclassified.removeAll(DATA_COMMANDS.keySet());
		unclassified.removeAll(OTHER_COMMANDS);
		assertThat(unclassified).as("commands neither in DATA_COMMANDS (with --format) nor OTHER_COMMANDS").isEmpty();
	}

	@Test
	void everyDataCommandRefusesAnUnknownFormatInOneLineWithExitTwoBeforeDoingAnything() {
		DATA_COMMANDS.forEach((command, line) -> {
			ShellRun run = run(line + " --format bogus");
			assertThat(run.code()).as(command + ": " + run.err()).isEqualTo(ExitCodes.USAGE);
			assertThat(run.out()).as(command).isEmpty();
			assertThat(run.err().lines()).as(command).singleElement().asString()
				.startsWith("virtwise: unknown format 'bogus'; use one of text, json");
		});
	}

	@Test
	void everyDataCommandThatRunsOfflinePrintsOneJsonDocument() throws IOException {
		for (String command : RUN_OFFLINE) {
			ShellRun run = run(DATA_COMMANDS.get(command) + " --format json");
			assertThat(run.code()).as(command + ": " + run.err()).isZero();
			oneDocument(run);
		}
	}

	@Test
	void kvmLsJsonIsTheGuestsFactsAsKvmShowHasThem() throws IOException {
		JsonNode guests = oneDocument(run("kvm ls --format json" + TEST_LIBVIRT));
		assertThat(guests.isArray()).isTrue();
		JsonNode test = guests.get(0);
		assertThat(test.path("name").asText()).isEqualTo("test");
		assertThat(test.path("state").asText()).isEqualTo("running");
		assertThat(test.path("vcpus").isNumber()).isTrue();
		assertThat(test.path("memoryKb").isNumber()).as("a number, its unit in the name").isTrue();
		assertThat(test).isEqualTo(oneDocument(run("kvm show test --format json" + TEST_LIBVIRT)));

		String markdown = run("kvm ls --format markdown" + TEST_LIBVIRT).out();
		assertThat(markdown).startsWith("| name | state | type | vcpus | memory MiB | cpu mode |\n|---|---|---|---|---|---|\n")
			.contains("| test | running |");
	}

	@Test
	void rulesJsonListsEveryLoadedRuleWithItsFileAndLine() throws IOException {
		String text = run("rules").out();
		JsonNode rules = oneDocument(run("rules --format json"));
		assertThat(rules.path("folder").asText()).isEqualTo(Path.of("rules").toAbsolutePath().toString());
		assertThat(text).contains("(rules " + rules.path("rulesHash").asText().substring(0, 12) + ")");
		JsonNode list = rules.path("rules");
		assertThat(text).contains(list.size() + " rules in ");
		for (JsonNode rule : list) {
			assertThat(rule.path("file").asText()).endsWith(".drl");
			assertThat(rule.path("line").isInt()).isTrue();
			assertThat(rule.path("line").asInt()).isPositive();
			assertThat(text).contains("  " + rule.path("name").asText() + "\n");
		}
		assertThat(run("rules --format markdown").out()).startsWith("| file | rule | line |\n|---|---|---|\n")
			.contains(list.size() + " rules from ");
	}

	@Test
	void sessionListJsonHasWhatTheTableShowsAndTheFile() throws IOException {
		JsonNode listing = oneDocument(run("session list --format json"));
		assertThat(listing.path("folder").asText()).isEqualTo(SESSIONS.toString());
		assertThat(listing.path("skipped").isArray()).isTrue();
		JsonNode untuned = null;
		for (JsonNode s : listing.path("sessions")) {
			if (s.path("name").asText().equals("example-untuned")) {
				untuned = s;
			}
		}
		assertThat(untuned).as(listing.toString()).isNotNull();
		assertThat(untuned.path("file").asText()).startsWith(SESSIONS.toString()).endsWith(".session.jsonl");
		assertThat(untuned.path("host").asText()).isEqualTo("vm");
		assertThat(untuned.path("commandCount").asInt()).isEqualTo(8);
		assertThat(untuned.path("recommendationCount").isInt()).isTrue();
		assertThat(run("session list").out()).containsPattern("example-untuned .* 8 +"
				+ untuned.path("recommendationCount").asInt() + "\n");
		assertThat(run("session list --format markdown").out())
			.startsWith("| name | date | host | commands | recommendations |\n")
			.contains("| example-untuned | " + untuned.path("at").asText() + " | vm | 8 | ");
	}

	@Test
	void sessionShowJsonHasEachCommandWithItsOutputExitTimeAndFacts() throws IOException {
		JsonNode session = oneDocument(run("session show example-untuned --format json"));
		assertThat(session.path("name").asText()).isEqualTo("example-untuned");
		assertThat(session.path("truncatedTail").asBoolean(true)).isFalse();
		JsonNode commands = session.path("commands");
		assertThat(commands.size()).isEqualTo(8);
		JsonNode host = commands.get(0);
		assertThat(host.path("seq").asInt()).isEqualTo(1);
		assertThat(host.path("line").asText()).isEqualTo("host");
		assertThat(host.path("exit").isInt()).isTrue();
		assertThat(host.path("millis").isNumber()).isTrue();
		assertThat(host.path("output").asText()).startsWith("Host vm");
		JsonNode advise = commands.get(6);
		assertThat(advise.path("line").asText()).isEqualTo("advise");
		assertThat(advise.path("facts").path("schemaVersion").isInt()).as("the facts the advice used").isTrue();
		assertThat(advise.path("recommendations").size()).isPositive();
	}

	@Test
	void formatValuesCompleteOnTabAndShowInHelp() {
		assertThat(TabCompletion.complete(completer, "kvm ls --format ")).containsExactly("text", "json", "markdown");
		assertThat(TabCompletion.complete(completer, "rules --format ")).containsExactly("text", "json", "markdown");
		assertThat(TabCompletion.complete(completer, "session list --format ")).containsExactly("text", "json", "markdown");
		assertThat(TabCompletion.complete(completer, "session show example-tuned --format ")).containsExactly("text", "json");
		assertThat(run("help session show").out()).contains("session show NAME [--format text|json] [--help]");
		assertThat(run("help kvm ls").out()).contains("[--format text|json|markdown]");
	}

	@Test
	void aSecretInAHandEditedSessionHeaderIsRedactedInEveryFormat() throws IOException {
		Path hostile = SESSIONS.resolve("vwtest-hostile.session.jsonl");
		Files.writeString(hostile, """
				{"type":"header","format":1,"tool":"0.1.0 token=ghp_abcdefghijklmnopqrstuvwxyz0123456789","host":"db password=hunter2","at":"2026-12-01T00:00:00Z"}
				{"type":"command","at":"postgres://u:pw4321secret@db","seq":1,"line":"rules","exit":0,"millis":1,"output":"x"}
				{"type":"name","at":"2026-12-01T00:00:02Z","name":"api_token=ghp_zyxwvutsrqponmlkjihgfedcba9876543210"}
				""");
		try {
			for (String line : List.of("session list", "session list --format json", "session list --format markdown",
					"session show vwtest-hostile", "session show vwtest-hostile --format json")) {
				ShellRun run = run(line);
				assertThat(run.code()).as(line + ": " + run.err()).isZero();
				assertThat(run.out()).as(line).contains("api_token").doesNotContain("hunter2", "ghp_abcdefghij", "pw4321secret",
					"ghp_zyxwvuts");
			}
		}
		finally {
			Files.delete(hostile);
		}
	}
}
