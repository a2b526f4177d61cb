package io.virtwise.shell.view;

import java.util.regex.Pattern;

/** Terminal text without its colour codes, for journals and comparisons. */
public final class AnsiText {

	private static final Pattern ESCAPES = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");

	private AnsiText() {
	}

	public static String strip(String text) {
		return ESCAPES.matcher(text).replaceAll("");
	}
}
