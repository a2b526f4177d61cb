package io.virtwise.advice;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.rules.AdviceInterruptedException;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleBaseException;
import io.virtwise.advice.rules.RuleEvaluationException;
import io.virtwise.advice.rules.RuleInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules are code a user edits: a rule that loops, hangs or throws ends advice with one line naming it, and Ctrl-C ends it too. */
class RuleFaultsTest {

	static final String HEADER = """
			package virtwise.test.faults;
			import io.virtwise.facts.HostFacts;
			global io.virtwise.advice.AdviceSink advice;

			""";

	@TempDir
	Path dir;

	static Facts facts() throws Exception {
		return FactsJson.read(Path.of("src/test/resources/facts/untuned-host.json"));
	}

	private RuleBase rules(String file, String body) throws IOException, RuleBaseException {
		Files.writeString(dir.resolve(file), HEADER + body);
		return RuleBase.load(dir);
	}

	@Test
	void aRuleThatKeepsReFiringIsStoppedAndNamedWithItsFileAndLine() throws Exception {
		RuleBase base = rules("looping.drl", """
				rule "seed a counter"
				when
				    HostFacts()
				then
				    insert(Integer.valueOf(0));
				end

				rule "count for ever"
				when
				    $i : Integer()
				then
				    insert(Integer.valueOf($i + 1));
				end
				""");

		// the default bounds, as advise uses them: without them this filled the heap
		assertThatThrownBy(() -> AdviceEngine.evaluate(base, facts())).isInstanceOf(RuleEvaluationException.class)
			.hasMessageStartingWith("rule \"count for ever\" (looping.drl:12) kept firing: evaluation reached its bound of ")
			.asInstanceOf(type(RuleEvaluationException.class))
			.extracting(RuleEvaluationException::rule).isEqualTo(new RuleInfo("count for ever", "looping.drl", 12));
	}

	@Test
	void rulesWithoutTheAdviceGlobalAreRefusedWhenTheyLoadNamingTheFolderAndWhatIsMissing() throws Exception {
		Files.writeString(dir.resolve("no-global.drl"), """
				package virtwise.test.noglobal;
				import io.virtwise.facts.HostFacts;

				rule "prints only"
				when
				    HostFacts()
				then
				    System.out.print("");
				end
				""");

		// before: the rules loaded, and advise ended with exit 70 "Unexpected global [advice]"
		assertThatThrownBy(() -> RuleBase.load(dir)).isInstanceOf(RuleBaseException.class)
			.hasMessage("rules in " + dir + " are refused: no rule file declares 'global io.virtwise.advice.AdviceSink advice;',"
					+ " through which every rule reports");
	}

	@Test
	void anAdviceGlobalOfAnotherTypeIsRefused() throws Exception {
		Files.writeString(dir.resolve("wrong-global.drl"), """
				package virtwise.test.wrongglobal;
				global java.util.List advice;
				""");

		assertThatThrownBy(() -> RuleBase.load(dir)).isInstanceOf(RuleBaseException.class)
			.hasMessageContaining("the global 'advice' is declared as java.util.List, not io.virtwise.advice.AdviceSink");
	}

	@Test
	void aRuleThatThrowsIsNamedWithItsFileAndLine() throws Exception {
		RuleBase base = rules("throwing.drl", """
				rule "divides by zero"
				when
				    $h : HostFacts()
				then
				    int zero = 0;
				    System.out.println(1 / zero);
				end
				""");

		assertThatThrownBy(() -> AdviceEngine.evaluate(base, facts())).isInstanceOf(RuleEvaluationException.class)
			.hasMessage("rule \"divides by zero\" (throwing.drl:5) failed: ArithmeticException: / by zero")
			.hasNoSuppressedExceptions();
	}

	@Test
	void aRuleWhoseMessageSaysWhyKeepsThatOneLine() throws Exception {
		RuleBase base = rules("throwing.drl", """
				rule "throws with a message"
				when
				    HostFacts()
				then
				    throw new IllegalStateException("no such node\\nsecond line");
				end
				""");

		assertThatThrownBy(() -> AdviceEngine.evaluate(base, facts()))
			.hasMessage("rule \"throws with a message\" (throwing.drl:5) failed: IllegalStateException: no such node");
	}

	@Test
	void aRuleStillRunningAtTheDeadlineIsNamed() throws Exception {
		RuleBase base = rules("slow.drl", """
				rule "waits for ever"
				when
				    HostFacts()
				then
				    Thread.sleep(600_000);
				end
				""");

		assertThatThrownBy(() -> AdviceEngine.evaluate(base, facts(), new AdviceEngine.Bounds(1000, Duration.ofMillis(300))))
			.isInstanceOf(RuleEvaluationException.class)
			.hasMessage("rule \"waits for ever\" (slow.drl:5) was still running when evaluation reached its 300 ms limit");
	}

	@Test
	void anInterruptEndsASlowEvaluationWithNoAdvice() throws Exception {
		RuleBase base = rules("slow.drl", """
				rule "waits for ever"
				when
				    HostFacts()
				then
				    Thread.sleep(600_000);
				end
				""");
		Facts facts = facts();
		AtomicReference<Thread> evaluating = new AtomicReference<>();
		AtomicBoolean stillInterrupted = new AtomicBoolean();
		CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
			evaluating.set(Thread.currentThread());
			try {
				AdviceEngine.evaluate(base, facts, new AdviceEngine.Bounds(1000, Duration.ofMinutes(10)));
				return null;
			}
			catch (RuntimeException e) {
				stillInterrupted.set(Thread.interrupted());
				return e;
			}
		});
		while (!isSleepingInTheRule()) {
			Thread.sleep(20);
		}
		evaluating.get().interrupt();

		assertThat(outcome.get()).isInstanceOf(AdviceInterruptedException.class);
		assertThat(stillInterrupted).as("the caller still sees its interrupt").isTrue();
	}

	private static boolean isSleepingInTheRule() {
		return Thread.getAllStackTraces().entrySet().stream()
			.anyMatch(e -> e.getKey().getName().equals("advice-evaluation") && e.getKey().getState() == Thread.State.TIMED_WAITING);
	}
}
