package io.virtwise.advice.rules;

import io.virtwise.advice.AdviceSink;
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
			.hasMessageContaining("host-exit.drl:10:0: rule \"ends the shell\" uses System . exit(")
			.asInstanceOf(type(RuleBaseException.class))
			.extracting(RuleBaseException::problems).asList().hasSize(1);
	}

	@Test
	void everyWayToEndOrLeaveTheProcessIsRefused(@TempDir Path dir) throws IOException {
		for (String call : List.of("System.exit(3)", "java.lang.System.exit(3)", "Runtime.getRuntime().halt(3)",
				"Runtime.getRuntime().exec(\"reboot\")", "new ProcessBuilder(\"reboot\").start()",
				"new java.lang.ProcessBuilder(\"reboot\").start()")) {
			assertRefused(dir, call);
		}
	}

	/** A rule whose consequence is {@code code} is refused at load, named by file, line and rule. */
	private static void assertRefused(Path dir, String code) throws IOException {
		Files.writeString(dir.resolve("one.drl"), """
				package virtwise.one;
				import io.virtwise.facts.HostFacts;
				rule "escapes"
				when
				    HostFacts()
				then
				    %s;
				end
				""".formatted(code));
		assertThatThrownBy(() -> RuleBase.load(dir)).as(code).isInstanceOf(RuleBaseException.class)
			.hasMessageContaining("one.drl:7:0: rule \"escapes\" uses ");
	}

	/** Checked by name, not call chain: a variable, a method reference, reflection or a thread all count. */
	@Test
	void aRuleNamingRuntimeReflectionOrThreadsIsRefusedHoweverItIsSpelled(@TempDir Path dir) throws IOException {
		for (String code : List.of("Runtime r = Runtime.getRuntime(); r.halt(0)", "java.lang.Runtime r = java.lang.Runtime.getRuntime(); r.exit(0)",
				"var r = java.lang.Runtime\n        .getRuntime(); r.halt(0)", "java.util.function.IntConsumer e = System::exit; e.accept(0)",
				"System.setSecurityManager(null)", "System.loadLibrary(\"x\")",
				"Class.forName(\"java.lang.Runtime\")", "System.class.getMethod(\"exit\", int.class).invoke(null, 0)",
				"Object.class.getDeclaredMethod(\"x\").setAccessible(true)",
				"java.lang.invoke.MethodHandles.lookup()", "new Thread(() -> {}).start()", "Thread.ofVirtual().start(() -> {})", "new java.lang.Thread(() -> {})",
				"java.util.function.Supplier<Thread> s = Thread::new",
				"java.util.concurrent.Executors.newSingleThreadExecutor()", "java.util.concurrent.CompletableFuture.runAsync(() -> {})",
				"ProcessHandle.current().destroy()", "\\u0052untime.getRuntime().halt(0)", "String s = \"\\u0022\"")) {
			assertRefused(dir, code);
		}
	}

	@Test
	void aStaticImportOfSystemIsRefused(@TempDir Path dir) throws IOException {
		Files.writeString(dir.resolve("one.drl"), """
				package virtwise.one;
				import static java.lang.System.exit;
				import io.virtwise.facts.HostFacts;
				""");

		assertThatThrownBy(() -> RuleBase.load(dir)).isInstanceOf(RuleBaseException.class)
			.hasMessageContaining("one.drl:2:0: uses import static java.lang.System");
	}

	@Test
	void namesThatOnlyLookLikeForbiddenOnesStayAllowed(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("one.drl"), """
				package virtwise.one;
				import io.virtwise.facts.HostFacts;
				global io.virtwise.advice.AdviceSink advice;
				// Runtime.getRuntime().halt(0) in a comment, new Thread() too
				rule "fine"
				when
				    HostFacts()
				then
				    String s = "Runtime.getRuntime().halt(0); Class.forName(x) \\\\u0052";
				    RuntimeException e = new IllegalStateException(s);
				    System.out.println(e.getClass().getSimpleName().length() > 0 ? "" : "x");
				    drools.getKieRuntime();
				end
				""");

		assertThat(RuleBase.load(dir).rules()).extracting(RuleInfo::name).containsExactly("fine");
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
