package io.virtwise.kvm.xml;

import java.util.Arrays;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

/**
 * A unified diff ({@code ---}/{@code +++}/{@code @@}, three lines of context) between two texts,
 * by java-diff-utils' Myers diff: time and memory grow with the size of the change, so a domain of
 * thousands of lines costs no more than the lines an edit touches.
 */
public final class DomainXmlDiff {

	private static final int CONTEXT = 3;

	private DomainXmlDiff() {
	}

	/** The diff as lines; empty when the texts are equal. */
	public static List<String> diff(String before, String after, String beforeLabel, String afterLabel) {
		List<String> a = lines(before);
		List<String> b = lines(after);
		Patch<String> patch = DiffUtils.diff(a, b);
		if (patch.getDeltas().isEmpty()) {
			return List.of();
		}
		return UnifiedDiffUtils.generateUnifiedDiff(beforeLabel, afterLabel, a, patch, CONTEXT);
	}

	private static List<String> lines(String text) {
		if (text == null || text.isEmpty()) {
			return List.of();
		}
		String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
		return Arrays.asList(trimmed.split("\n", -1));
	}
}
