package io.virtwise.advice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleBaseTest {

	static final Path RULES = Path.of("rules");

	@Test
	void loadsEveryHostFamilyFromItsOwnFile() throws RuleBaseException {
		RuleBase base = RuleBase.load(RULES);

		assertThat(base.rules()).extracting(RuleInfo::file)
			.contains("host-memory.drl", "host-cpu.drl", "host-virt.drl", "host-storage.drl")
			.doesNotContain("?");
		assertThat(base.fileOf("THP disabled on a KVM host")).isEqualTo("host-memory.drl");
		assertThat(base.fileOf("CPU governor not performance on a KVM host")).isEqualTo("host-cpu.drl");
		assertThat(base.fileOf("vhost-net missing on a KVM host")).isEqualTo("host-virt.drl");
		assertThat(base.fileOf("I/O scheduler on a solid-state disk")).isEqualTo("host-storage.drl");
		assertThat(base.contentHash()).hasSize(64);
	}

	@Test
	void brokenRuleFileIsNamedWithLineAndColumn(@TempDir Path dir) throws IOException {
		copyRules(dir);
		Files.writeString(dir.resolve("host-broken.drl"), """
				package virtwise.host.broken;

				rule "missing its then"
				when
				    VirtFacts(kvmDevicePresent == true
				end
				""");

		assertThatThrownBy(() -> RuleBase.load(dir)).isInstanceOf(RuleBaseException.class)
			.hasMessageContaining("host-broken.drl")
			.asInstanceOf(type(RuleBaseException.class))
			.satisfies(e -> {
				assertThat(e.problems()).extracting(RuleProblem::file).containsOnly("host-broken.drl");
				// the parser adds an unlocated "null Package" after the real error; the located one must be there
				assertThat(e.problems()).anySatisfy(problem -> {
					assertThat(problem.line()).isEqualTo(6);
					assertThat(problem.column()).isNotNegative();
					assertThat(problem.message()).contains("mismatched input 'end'");
				});
			});
	}

	@Test
	void aRuleThatWouldEndTheShellIsRefusedWithItsFileAndLine(@TempDir Path dir) throws IOException {
		copyRules(dir);
		Files.writeString(dir.resolve("host-exit.drl"), """
				package virtwise.host.exit;
				import io.virtwise.facts.HostFacts;

				// a comment may say System.exit(1), and so may "System.exit(1)" in a string
				rule "ends the shell"
				when
				    HostFacts()
				then
				    String why = "System.exit(0) // not code";
				    System . exit(0);
				end
				""");

		assertThatThrownBy(() -> RuleBase.load(dir)).isInstanceOf(RuleBaseException.class)
			.hasMessageContaining("host-exit.drl:10:0: rule \"ends the shell\" calls System . exit(")
			.asInstanceOf(type(RuleBaseException.class))
			.extracting(RuleBaseException::problems).asList().hasSize(1);
	}

	@Test
	void everyWayToEndOrLeaveTheProcessIsRefused(@TempDir Path dir) throws IOException {
		for (String call : List.of("System.exit(3)", "java.lang.System.exit(3)", "Runtime.getRuntime().halt(3)",
				"Runtime.getRuntime().exec(\"reboot\")", "new ProcessBuilder(\"reboot\").start()",
				"new java.lang.ProcessBuilder(\"reboot\").start()")) {
			Files.writeString(dir.resolve("one.drl"), """
					package virtwise.one;
					import io.virtwise.facts.HostFacts;
					rule "escapes"
					when
					    HostFacts()
					then
					    %s;
					end
					""".formatted(call));

			assertThatThrownBy(() -> RuleBase.load(dir)).as(call).isInstanceOf(RuleBaseException.class)
				.hasMessageContaining("one.drl:7:0: rule \"escapes\" calls ");
		}
	}

	@Test
	void theProjectRulesKnowTheLineOfEveryRuleHeader() throws Exception {
		RuleBase base = RuleBase.load(RULES);

		for (RuleInfo rule : base.rules()) {
			List<String> lines = Files.readAllLines(RULES.resolve(rule.file()));
			assertThat(rule.line()).as(rule.name()).isPositive();
			assertThat(lines.get(rule.line() - 1)).as(rule.name()).startsWith("rule \"" + rule.name() + "\"");
		}
	}

	@Test
	void missingFolderSaysSo(@TempDir Path dir) {
		Path missing = dir.resolve("no-such-rules");

		assertThatThrownBy(() -> RuleBase.load(missing)).isInstanceOf(RuleBaseException.class)
			.hasMessageContaining(missing.toString())
			.hasMessageContaining("does not exist");
	}

	@Test
	void folderWithoutRuleFilesSaysSo(@TempDir Path dir) throws IOException {
		Files.writeString(dir.resolve("README.txt"), "not a rule");

		assertThatThrownBy(() -> RuleBase.load(dir)).isInstanceOf(RuleBaseException.class)
			.hasMessageContaining("holds no *.drl file");
	}

	private static void copyRules(Path target) throws IOException {
		try (Stream<Path> files = Files.list(RULES)) {
			List<Path> drl = files.filter(p -> p.toString().endsWith(".drl")).toList();
			assertThat(drl).isNotEmpty();
			for (Path file : drl) {
				Files.copy(file, target.resolve(file.getFileName()));
			}
		}
	}
}
