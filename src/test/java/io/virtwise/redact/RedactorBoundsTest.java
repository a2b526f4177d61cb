package io.virtwise.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Adversarial shapes of about a megabyte each. The old regex redactor backtracked over runs of word
 * characters (a 20,000-character label took over a minute); a linear scanner finishes these in
 * milliseconds. The timeout is a hang guard, not a speed target.
 */
class RedactorBoundsTest {

	private static final int MEGABYTE = 1 << 20;

	private static final List<String> UNITS = List.of("a", "password=", "password='", "--token ", "\"token\":\"", "a://", "a://:b/",
			"-----BEGIN PRIVATE KEY-----", "-----BEGIN ", "$apr1$", "bearer ", "Authorization: ", "Cookie: a=", "'", "\"",
			"sh -c '", "\\\"", "&quot;", "key=AQB", "x:", "io.systemd.credential:", "<a b='", "<password>", "redis-cli -a ",
			"curl -u a:", "ghp_", "eyJ.", "user@", ":=", "{'password': ");

	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void everyAdversarialShapeOfAMegabyteCompletes() {
		for (String unit : UNITS) {
			String text = unit.repeat(MEGABYTE / unit.length() + 1);
			assertThat(Redactor.redact(text)).isNotNull();
			assertThat(Redactor.redactXml(text)).isNotNull();
			assertThat(Redactor.redactArgs(List.of(text, text))).hasSize(2);
			String lines = (unit + "\n").repeat(MEGABYTE / (unit.length() + 1) + 1);
			assertThat(Redactor.redact(lines)).isNotNull();
		}
	}

	@Test
	@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aLongRunOfWordCharactersInALabelIsQuick() {
		String label = "x".repeat(20_000);
		assertThat(Redactor.redactValue("com.example.note", label)).isEqualTo(label);
		String xml = "<domain><description>" + "y".repeat(MEGABYTE) + "</description></domain>";
		assertThat(Redactor.redactXml(xml)).isEqualTo(xml);
	}

	@Test
	void aLineOverTheBoundIsCutWithAMarkerAndNothingPastItIsKept() {
		String secretTail = "password=" + "s".repeat(10);
		String text = "short line\n" + "w".repeat(Redactor.MAX_LINE + 5) + secretTail + "\nnext";
		String out = Redactor.redact(text);
		assertThat(out).startsWith("short line\n" + "w".repeat(Redactor.MAX_LINE) + " <cut: " + (5 + secretTail.length())
				+ " more characters>").endsWith("\nnext").doesNotContain("ssssssssss");
		assertThat(out.lines()).allMatch(l -> l.length() <= Redactor.MAX_LINE + 40);
		String shortText = "a\n".repeat(Redactor.MAX_LINE);
		assertThat(Redactor.redact(shortText)).isEqualTo(shortText);
	}
}
