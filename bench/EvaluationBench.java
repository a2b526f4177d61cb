import java.nio.file.Path;
import java.util.List;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleBaseCache;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;

/**
 * One rule evaluation in a fresh JVM, as one-shot advise does it: loads rules/ (compiled, or read
 * back from the cache folder given), then times the first evaluation of the facts file.
 * Usage: java -cp CLASSPATH bench/EvaluationBench.java FACTS [CACHE_DIR|none] [REPEATS]
 */
public class EvaluationBench {
	public static void main(String[] args) throws Exception {
		Facts facts = FactsJson.read(Path.of(args[0]));
		RuleBaseCache cache = args.length > 1 && !args[1].equals("none") ? new RuleBaseCache(Path.of(args[1])) : null;
		RuleBase rules = RuleBase.load(Path.of("rules"), cache);
		if (Boolean.getBoolean("warmUp")) { // what the shell's rule-base thread does before the first advise
			long start = System.nanoTime();
			AdviceEngine.warmUp(rules);
			System.out.printf("warm-up %.1f ms%n", (System.nanoTime() - start) / 1e6);
		}
		int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 1; // more than one: how much is warm-up
		for (int i = 0; i < repeats; i++) {
			long start = System.nanoTime();
			List<Recommendation> advice = AdviceEngine.evaluate(rules, facts);
			double ms = (System.nanoTime() - start) / 1e6;
			System.out.printf("evaluation %.1f ms, %d recommendations, fromCache=%s%n", ms, advice.size(), rules.fromCache());
		}
	}
}
