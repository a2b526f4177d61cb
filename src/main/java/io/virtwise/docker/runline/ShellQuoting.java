package io.virtwise.docker.runline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * POSIX-shell words, both ways: {@link #quote} so a rebuilt {@code docker run} line can be pasted
 * as is (plain words stay bare, anything else goes in single quotes), and {@link #split} to read a
 * line back the way a shell would, for the shell's prompt, scripts and replayed sessions as for
 * run lines: single quotes are literal, in double quotes a backslash escapes only
 * {@code $ ` " \}, a backslash outside quotes escapes the next character, an unquoted
 * {@code #} at the start of a word begins a comment, and a process substitution {@code <(...)}
 * is one word, kept as written.
 */
public final class ShellQuoting {

	// Characters no POSIX shell treats specially anywhere in a word.
	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

	// What a backslash escapes inside double quotes; before anything else it stays a backslash.
	private static final String ESCAPED_IN_DOUBLE_QUOTES = "$`\"\\";

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

	/**
	 * A line split into words.
	 *
	 * @param words the words as the command sees them
	 * @param raw each word as it was written, quotes included, so an edit can leave it as typed
	 * @param comment the text after an unquoted {@code #}, or null
	 */
	public record Words(List<String> words, List<String> raw, String comment) {
	}

	/** @throws IllegalArgumentException on an unclosed quote, saying which */
	public static Words split(String line) {
		List<String> words = new ArrayList<>();
		List<String> raw = new ArrayList<>();
		StringBuilder word = new StringBuilder();
		boolean inWord = false;
		int start = 0;
		int i = 0;
		int n = line.length();
		String comment = null;
		while (i < n) {
			char c = line.charAt(i);
			if (!inWord) {
				start = i;
			}
			if (Character.isWhitespace(c)) {
				if (inWord) {
					words.add(word.toString());
					raw.add(line.substring(start, i));
					word.setLength(0);
					inWord = false;
				}
				i++;
			}
			else if (c == '#' && !inWord) {
				comment = line.substring(i + 1).strip();
				break;
			}
			else if (c == '<' && !inWord && i + 1 < n && line.charAt(i + 1) == '(') {
				// bash's process substitution <(...) is one word to the command: kept as written
				int end = substitutionEnd(line, i + 2);
				word.append(line, i, end);
				inWord = true;
				i = end;
			}
			else if (c == '\'') {
				int end = line.indexOf('\'', i + 1);
				if (end < 0) {
					throw new IllegalArgumentException("unclosed single quote in: " + line);
				}
				word.append(line, i + 1, end);
				inWord = true;
				i = end + 1;
			}
			else if (c == '"') {
				int j = i + 1;
				while (j < n && line.charAt(j) != '"') {
					if (line.charAt(j) == '\\' && j + 1 < n && ESCAPED_IN_DOUBLE_QUOTES.indexOf(line.charAt(j + 1)) >= 0) {
						j++;
					}
					word.append(line.charAt(j++));
				}
				if (j >= n) {
					throw new IllegalArgumentException("unclosed double quote in: " + line);
				}
				inWord = true;
				i = j + 1;
			}
			else if (c == '\\' && i + 1 < n) {
				word.append(line.charAt(i + 1));
				inWord = true;
				i += 2;
			}
			else {
				word.append(c);
				inWord = true;
				i++;
			}
		}
		if (inWord) {
			words.add(word.toString());
			raw.add(line.substring(start));
		}
		return new Words(Collections.unmodifiableList(words), Collections.unmodifiableList(raw), comment);
	}

	/** Just past the {@code )} closing a substitution whose text starts at {@code from}; quotes and nested parentheses skipped. */
	private static int substitutionEnd(String line, int from) {
		int depth = 1;
		int i = from;
		while (i < line.length()) {
			char c = line.charAt(i);
			if (c == '\'' || c == '"') {
				int close = line.indexOf(c, i + 1);
				if (close < 0) {
					break;
				}
				i = close + 1;
				continue;
			}
			if (c == '(') {
				depth++;
			}
			else if (c == ')' && --depth == 0) {
				return i + 1;
			}
			i++;
		}
		throw new IllegalArgumentException("unclosed <( in: " + line);
	}
}
