package io.virtwise.advice.rules;

import io.virtwise.advice.Recommendation;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled rules kept between runs: reused while the rules are unchanged, never when they changed or cannot be read. */
class RuleBaseCacheTest {

	@TempDir
	Path rules;

	@TempDir
	Path cacheDir;

	@Test
	void theSecondLoadReadsTheCompiledRulesBackAndAdvisesTheSame() throws Exception {
		copyRules();
		RuleBaseCache cache = new RuleBaseCache(cacheDir);

		RuleBase first = RuleBase.load(rules, cache);
		RuleBase second = RuleBase.load(rules, cache);

		assertThat(first.fromCache()).isFalse();
		assertThat(second.fromCache()).isTrue();
		assertThat(second.rules()).isEqualTo(first.rules());
		assertThat(second.contentHash()).isEqualTo(first.contentHash());
		for (String fixture : List.of("untuned-host.json", "docker-untuned.json", "nested-guest.json")) {
			Facts facts = FactsJson.read(Path.of("src/test/resources/facts", fixture));
			assertThat(AdviceEngine.evaluate(second, facts)).as(fixture).isEqualTo(AdviceEngine.evaluate(first, facts)).isNotEmpty();
		}
	}

	@Test
	void aChangedRuleIsCompiledAgain() throws Exception {
		copyRules();
		RuleBaseCache cache = new RuleBaseCache(cacheDir);
		RuleBase.load(rules, cache);

		Path file = rules.resolve("host-cpu.drl");
		String text = Files.readString(file);
		assertThat(text).contains("The CPU frequency governor is not");
		Files.writeString(file, text.replace("The CPU frequency governor is not", "The governor is not"));
		RuleBase changed = RuleBase.load(rules, cache);

		assertThat(changed.fromCache()).isFalse();
		assertThat(AdviceEngine.evaluate(changed, FactsJson.read(Path.of("src/test/resources/facts/untuned-host.json"))))
			.extracting(Recommendation::title).anyMatch(t -> t.startsWith("The governor is not"));
		assertThat(RuleBase.load(rules, cache).fromCache()).as("the changed rules are cached in turn").isTrue();
	}

	@Test
	void aCorruptOrTruncatedEntryIsIgnoredAndReplaced() throws Exception {
		copyRules();
		RuleBaseCache cache = new RuleBaseCache(cacheDir);
		RuleBase fresh = RuleBase.load(rules, cache);
		Path entry = onlyEntry();
		byte[] good = Files.readAllBytes(entry);

		for (byte[] bad : List.of(new byte[0], "not a rule base".getBytes(), java.util.Arrays.copyOf(good, good.length / 2))) {
			Files.write(entry, bad);
			RuleBase rebuilt = RuleBase.load(rules, cache);

			assertThat(rebuilt.fromCache()).isFalse();
			assertThat(rebuilt.rules()).isEqualTo(fresh.rules());
			assertThat(RuleBase.load(rules, cache).fromCache()).as("rewritten").isTrue();
		}
	}

	@Test
	void anUnwritableCacheOnlyCostsTheCompilation() throws Exception {
		copyRules();
		Path notADirectory = cacheDir.resolve("file");
		Files.writeString(notADirectory, "x");

		RuleBase base = RuleBase.load(rules, new RuleBaseCache(notADirectory));

		assertThat(base.fromCache()).isFalse();
		assertThat(base.rules()).isNotEmpty();
	}

	@Test
	void theBuildIsFoundInsideSpringBootsJarToo() throws Exception {
		assertThat(RuleBaseCache.localPath(new java.net.URL(null, "jar:nested:/opt/vw/virtwise.jar/!BOOT-INF/classes/!/",
				new java.net.URLStreamHandler() {
					@Override
					protected java.net.URLConnection openConnection(java.net.URL u) {
						throw new UnsupportedOperationException();
					}
				}))).isEqualTo(Path.of("/opt/vw/virtwise.jar"));
		assertThat(RuleBaseCache.localPath(Path.of("target/classes").toUri().toURL())).isEqualTo(Path.of("target/classes").toAbsolutePath());
	}

	private Path onlyEntry() throws IOException {
		try (Stream<Path> files = Files.list(cacheDir)) {
			List<Path> entries = files.toList();
			assertThat(entries).hasSize(1);
			return entries.get(0);
		}
	}

	private void copyRules() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("rules"))) {
			for (Path drl : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
				Files.copy(drl, rules.resolve(drl.getFileName()));
			}
		}
	}
}
