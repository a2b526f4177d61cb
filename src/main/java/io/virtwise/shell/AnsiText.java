package io.virtwise.shell;

import java.util.regex.Pattern;

/** Terminal text without its colour codes, for journals and comparisons. */
final class AnsiText {

	private static final Pattern ESCAPES = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");

	private AnsiText() {
	}

	static String strip(String text) {
		return ESCAPES.matcher(text).replaceAll("");
	}
}
