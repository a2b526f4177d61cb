package io.virtwise.advice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.virtwise.facts.Facts;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus of real-world configurations (src/test/resources/corpus, see its README): each item is
 * imported as {@code facts import} does, advised with rules/, and checked twice: against its own
 * expectations (what must and must not be advised, fixes that must not appear), and against the
 * safety properties every fix must have (FixSafety). One dynamic test per item and check, named by item.
 */
class CorpusTest {

	@Test
	void theCorpusHoldsAtLeastThirtyItemsAndEveryExpectationSaysWhy() {
		List<Path> items = Corpus.items();
		assertThat(items).hasSizeGreaterThanOrEqualTo(30);
		for (Path item : items) {
			Corpus.Expectations e = Corpus.expectations(item);
			assertThat(e.source()).as("%s: where the item came from", item).isNotBlank();
			assertThat(e.unexplained()).as("%s: expectations without a why", item).isEmpty();
			assertThat(Corpus.files(item)).as("%s: files to import", item).isNotEmpty();
		}
	}

	@TestFactory
	Stream<DynamicTest> expectations() {
		return Corpus.items().stream().map(item -> DynamicTest.dynamicTest(item.getFileName().toString(), () -> {
			Facts facts = Corpus.facts(item);
			List<Recommendation> advice = RuleTesting.advise(facts);
			assertThat(Corpus.expectations(item).unmet(advice))
				.as("%s: advice was %s", item.getFileName(), RuleTesting.found(advice)).isEmpty();
		}));
	}

	@TestFactory
	Stream<DynamicTest> safety() {
		return Corpus.items().stream().map(item -> DynamicTest.dynamicTest(item.getFileName().toString(), () -> {
			Facts facts = Corpus.facts(item);
			List<Recommendation> advice = RuleTesting.advise(facts);
			assertThat(FixSafety.check(facts, advice)).as("%s: unsafe fixes", item.getFileName()).isEmpty();
		}));
	}
}
