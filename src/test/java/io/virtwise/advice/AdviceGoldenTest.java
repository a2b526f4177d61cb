package io.virtwise.advice;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleBaseCache;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole advice (ids, subjects, evidence, fixes, every word) on each facts fixture, against a
 * golden captured before the evaluation was made faster: speed work must not change what the
 * rules say. After a deliberate change to the rules, regenerate with -Dvirtwise.golden.update=true.
 */
class AdviceGoldenTest {

	private static final Path GOLDEN = Path.of("src/test/resources/advice-golden");

	static Stream<String> fixtures() throws IOException {
		try (Stream<Path> files = Files.list(Fixtures.DIR)) {
			return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
		}
	}

	@ParameterizedTest
	@MethodSource("fixtures")
	void adviceIsTheGoldenOne(String fixture) throws IOException {
		String advice = json(RuleTesting.advise(Fixtures.load(fixture)));
		Path golden = GOLDEN.resolve(fixture);
		if (Boolean.getBoolean("virtwise.golden.update")) {
			Files.createDirectories(GOLDEN);
			Files.writeString(golden, advice);
		}
		assertThat(advice).isEqualTo(Files.readString(golden));
	}

	/** Rules read back from the cache say exactly what freshly compiled ones say, on facts where every container rule fires. */
	@Test
	void cachedRulesGiveTheSameAdvice(@TempDir Path cacheDir) throws Exception {
		Facts facts = Fixtures.load("synthetic-100-containers-20-guests.json");
		RuleBaseCache cache = new RuleBaseCache(cacheDir);
		RuleBase.load(Path.of("rules"), cache);
		RuleBase cached = RuleBase.load(Path.of("rules"), cache);
		assertThat(cached.fromCache()).isTrue();
		assertThat(json(AdviceEngine.evaluate(cached, facts))).isEqualTo(json(RuleTesting.advise(facts)));
	}

	private static String json(List<Recommendation> advice) throws JsonProcessingException {
		return FactsJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(advice) + "\n";
	}
}
