package io.virtwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import io.virtwise.shell.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rule gone wrong, through the packaged jar: exit 3 and one line naming the rule, not a bug report (70) or a silent exit. */
class RuleFaultsJarIT {

	@TempDir
	Path rules;

	@Test
	void aThrowingRuleIsBadInputNamedByFileAndLine() throws Exception {
		copyRules();
		Files.writeString(rules.resolve("zz-throws.drl"), """
				package virtwise.test.throwing;
				import io.virtwise.facts.HostFacts;

				rule "throws on every host"
				when
				    HostFacts()
				then
				    throw new IllegalStateException("broken rule");
				end
				""");

		OneShotJarIT.Result r = OneShotJarIT.virtwise("--rules", rules.toString(), "advise", "--facts", OneShotJarIT.FIXTURE);

		assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(r.out()).isEmpty();
		assertThat(r.err().strip().lines()).containsExactly(
				"virtwise: rule \"throws on every host\" (zz-throws.drl:4) failed: IllegalStateException: broken rule");
	}

	@Test
	void aRuleCallingSystemExitIsRefusedBeforeItRuns() throws Exception {
		copyRules();
		Files.writeString(rules.resolve("zz-exit.drl"), """
				package virtwise.test.exit;
				import io.virtwise.facts.HostFacts;

				rule "ends the shell"
				when
				    HostFacts()
				then
				    System.exit(0);
				end
				""");

		OneShotJarIT.Result r = OneShotJarIT.virtwise("--rules", rules.toString(), "advise", "--facts", OneShotJarIT.FIXTURE);

		assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(r.out()).isEmpty();
		assertThat(r.err().strip().lines()).hasSize(1).first().asString()
			.contains("zz-exit.drl:8:0: rule \"ends the shell\" uses System.exit(");
	}

	private void copyRules() throws Exception {
		for (File drl : new File("rules").listFiles((d, name) -> name.endsWith(".drl"))) {
			Files.copy(drl.toPath(), rules.resolve(drl.getName()));
		}
	}
}
