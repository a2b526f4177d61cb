package io.virtwise.docker;

import java.util.regex.Pattern;

/**
 * Quotes words for a POSIX shell, so a rebuilt {@code docker run} line can be pasted as is:
 * plain words stay bare, anything else goes in single quotes.
 */
public final class ShellQuoting {

	// Characters no POSIX shell treats specially anywhere in a word.
	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

	private ShellQuoting() {
	}

	public static String quote(String word) {
		if (word != null && SAFE.matcher(word).matches()) {
			return word;
		}
		String text = word == null ? "" : word;
		// Inside single quotes nothing is special except the quote itself: close, escape, reopen.
		return "'" + text.replace("'", "'\\''") + "'";
	}
}
