package io.virtwise.advice;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleEvaluationException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In the shell, the rule-base thread evaluates the rules once on built-in facts, so that the user's first
 * evaluation does not pay for preparing them (rules read back from the cache would otherwise
 * evaluate more slowly than freshly compiled ones). That only helps for the rules it reaches, and
 * it must never turn a rule's fault into a failed start.
 */
class RuleWarmUpTest {

	@TempDir
	Path dir;

	@Test
	void theWarmUpReachesEveryRuleThatFiresOnTheFixtures() throws Exception {
		Set<String> fixtureRules = new TreeSet<>();
		for (String fixture : AdviceGoldenTest.fixtures().toList()) {
			fixtureRules.addAll(rulesIn(RuleTesting.advise(Fixtures.load(fixture))));
		}
		Set<String> warmed = rulesIn(AdviceEngine.warmUp(RuleTesting.rules()));

		assertThat(fixtureRules).isNotEmpty();
		assertThat(warmed).containsAll(fixtureRules);
	}

	@Test
	void aRuleThatThrowsOnTheWarmUpFactsStillLoadsAndIsReportedByTheRealEvaluation() throws Exception {
		Files.writeString(dir.resolve("throwing.drl"), """
				package test;
				import io.virtwise.facts.HostFacts;
				global io.virtwise.advice.AdviceSink advice;

				rule "divides by zero"
				when
				    HostFacts()
				then
				    int zero = 0;
				    System.out.println(1 / zero);
				end
				""");
		RuleBase base = RuleBase.load(dir);

		assertThat(AdviceEngine.warmUp(base)).isEmpty();
		assertThatThrownBy(() -> AdviceEngine.evaluate(base, RuleFaultsTest.facts())).isInstanceOf(RuleEvaluationException.class)
			.hasMessageStartingWith("rule \"divides by zero\" (throwing.drl:");
	}

	private static Set<String> rulesIn(java.util.List<Recommendation> advice) {
		return advice.stream().map(Recommendation::rule).collect(Collectors.toCollection(TreeSet::new));
	}
}
