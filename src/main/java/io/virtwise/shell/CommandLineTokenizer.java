package io.virtwise.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way a POSIX shell would, for the interactive prompt,
 * script files and replayed sessions alike: single quotes are literal, double quotes allow
 * {@code \"} and {@code \\}, a backslash outside quotes escapes the next character, and an
 * unquoted {@code #} at the start of a word begins a comment. Spring Shell's own parser splits
 * on spaces, which breaks quoted arguments.
 */
public final class CommandLineTokenizer {

	private CommandLineTokenizer() {
	}

	public static List<String> tokenize(String line) {
		List<String> words = new ArrayList<>();
		StringBuilder word = new StringBuilder();
		boolean inWord = false;
		int i = 0;
		int n = line.length();
		while (i < n) {
			char c = line.charAt(i);
			if (Character.isWhitespace(c)) {
				if (inWord) {
					words.add(word.toString());
					word.setLength(0);
					inWord = false;
				}
				i++;
			}
			else if (c == '#' && !inWord) {
				break;
			}
			else if (c == '\'') {
				int end = line.indexOf('\'', i + 1);
				if (end < 0) {
					throw VirtwiseException.usage("unclosed single quote in: " + line);
				}
				word.append(line, i + 1, end);
				inWord = true;
				i = end + 1;
			}
			else if (c == '"') {
				i++;
				boolean closed = false;
				while (i < n) {
					char d = line.charAt(i);
					if (d == '"') {
						closed = true;
						i++;
						break;
					}
					if (d == '\\' && i + 1 < n && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
						word.append(line.charAt(i + 1));
						i += 2;
					}
					else {
						word.append(d);
						i++;
					}
				}
				if (!closed) {
					throw VirtwiseException.usage("unclosed double quote in: " + line);
				}
				inWord = true;
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
		}
		return words;
	}

	/** Quotes a word so that {@link #tokenize} gives it back unchanged. */
	public static String quote(String word) {
		if (!word.isEmpty() && word.chars().noneMatch(ch -> Character.isWhitespace(ch) || "'\"\\#$`".indexOf(ch) >= 0)) {
			return word;
		}
		return "'" + word.replace("'", "'\\''") + "'";
	}
}
