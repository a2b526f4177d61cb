package io.virtwise.kvm.xml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainXmlDiffTest {

	@Test
	void equalTextsGiveNoDiff() {
		assertThat(DomainXmlDiff.diff("a\nb\n", "a\nb\n", "x", "y")).isEmpty();
	}

	@Test
	void oneChangedLineWithContext() {
		assertThat(DomainXmlDiff.diff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n", "a.xml", "b.xml"))
			.containsExactly("--- a.xml", "+++ b.xml", "@@ -2,7 +2,7 @@", " 2", " 3", " 4", "-5", "+five", " 6", " 7", " 8");
	}

	@Test
	void insertionAndFarApartChangesMakeTwoHunks() {
		String before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
		String after = "a\nNEW\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\n";
		assertThat(DomainXmlDiff.diff(before, after, "x", "y")).containsExactly("--- x", "+++ y",
				"@@ -1,4 +1,5 @@", " a", "+NEW", " b", " c", " d",
				"@@ -9,4 +10,4 @@", " i", " j", " k", "-l", "+L");
	}
}
