package io.virtwise.advice;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleBaseException;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.virtwise.facts.Facts;

/** What the rule-family tests share: the rule base from rules/, lookups in its findings, and what every finding must carry. */
public final class RuleTesting {

	private static RuleBase rules;

	private RuleTesting() {
	}

	/** The project's rules/ folder, compiled once per test JVM: compiling takes seconds, the rules do not change. */
	public static synchronized RuleBase rules() {
		if (rules == null) {
			try {
				rules = RuleBase.load(Path.of("rules"));
			}
			catch (RuleBaseException e) {
				throw new IllegalStateException("rules/ does not compile: " + e.getMessage(), e);
			}
		}
		return rules;
	}

	public static List<Recommendation> advise(Facts facts) {
		return AdviceEngine.evaluate(rules(), facts);
	}

	public static List<String> ids(List<Recommendation> recommendations) {
		return recommendations.stream().map(Recommendation::id).distinct().toList();
	}

	/** {@code ID@subject} per finding, for exact-set assertions. */
	public static List<String> found(List<Recommendation> recommendations) {
		return recommendations.stream().map(r -> r.id() + "@" + r.subject()).toList();
	}

	public static Optional<Recommendation> find(List<Recommendation> recommendations, String id, String subject) {
		return recommendations.stream().filter(r -> r.id().equals(id) && r.subject().equals(subject)).findFirst();
	}

	public static Recommendation get(List<Recommendation> recommendations, String id, String subject) {
		return find(recommendations, id, subject).orElseThrow(() -> new AssertionError(id + " did not fire for " + subject));
	}

	/** The one finding with this id; fails when there are none or several. */
	public static Recommendation only(List<Recommendation> recommendations, String id) {
		List<Recommendation> matching = recommendations.stream().filter(r -> r.id().equals(id)).toList();
		assertThat(matching).as("recommendations with id %s", id).hasSize(1);
		return matching.get(0);
	}

	/** What the shell prints for every finding: it came from {@code file}, and has a title, a fix, its effect and its source. */
	public static void assertComplete(Recommendation r, String file) {
		assertThat(r.rule()).startsWith(file + ": ");
		assertThat(r.title()).isNotBlank();
		assertThat(r.fix()).isNotEmpty().allSatisfy(line -> assertThat(line).isNotBlank());
		assertThat(r.expectedEffect()).isNotBlank();
		assertThat(r.source()).isNotBlank();
	}

	/**
	 * Drools JIT-compiles a constraint after about 20 evaluations; a constraint that only breaks then
	 * (as str[startsWith] does in Drools 10.2.0) would pass a test that evaluates once. Evaluates
	 * {@code others} in between so shared constraints see varied facts before they are compiled.
	 */
	public static void assertStableOnceJitCompiled(Facts facts, Facts... others) {
		List<Recommendation> first = advise(facts);
		for (int i = 0; i < 60; i++) {
			for (Facts other : others) {
				advise(other);
			}
			assertThat(advise(facts)).isEqualTo(first);
		}
	}
}
