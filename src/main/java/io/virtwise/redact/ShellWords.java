package io.virtwise.redact;

/**
 * The second pass: the text read as shell words, so an option and its value ({@code --token
 * VALUE}, {@code --password "two words"}) and a client's password options are seen together.
 * Quoted parts with blanks are scripts ({@code sh -c '...'}, a health check) and are read as
 * commands of their own, to a fixed depth, so every character is read a bounded number of times.
 */
final class ShellWords {

	/** sh -c "... \"...\" ..." nests two or three levels in practice; deeper quotes are read as plain words. */
	private static final int MAX_DEPTH = 3;

	private final String text;
	private final Spans spans;

	private ShellWords(String text, Spans spans) {
		this.text = text;
		this.spans = spans;
	}

	static void scan(String text, Spans spans) {
		new ShellWords(text, spans).commands(0, text.length(), 0);
	}

	private void commands(int from, int to, int depth) {
		CommandState state = new CommandState(false);
		CommandState.Sink sink = spans::add;
		int i = from;
		while (i < to) {
			char c = text.charAt(i);
			if (c == '\n' || c == ';' || c == '|' || c == '&' || c == '(' || c == ')') {
				state.reset();
				i++;
				continue;
			}
			if (Character.isWhitespace(c)) {
				i++;
				continue;
			}
			int start = i;
			boolean hasScript = false;
			int scriptStart = -1;
			int scriptEnd = -1;
			while (i < to) {
				c = text.charAt(i);
				if (Character.isWhitespace(c) || c == ';' || c == '|' || c == '&') {
					break;
				}
				int close = -1;
				int open = 0;
				if (c == '\'') {
					open = 1;
					close = find(i + 1, to, "'");
				}
				else if (c == '"') {
					open = 1;
					close = findDoubleQuote(i + 1, to);
				}
				else if (c == '\\' && i + 1 < to && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\'')) {
					open = 2;
					close = find(i + 2, to, text.substring(i, i + 2));
				}
				if (open == 0) {
					i++;
					continue;
				}
				int segmentEnd = close < 0 ? to : close;
				if (!hasScript && hasBlank(i + open, segmentEnd)) {
					hasScript = true;
					scriptStart = i + open;
					scriptEnd = segmentEnd;
				}
				i = close < 0 ? to : close + open;
			}
			boolean value = state.word(text, start, i, sink);
			if (hasScript && !value && depth < MAX_DEPTH) {
				commands(scriptStart, scriptEnd, depth + 1);
			}
		}
	}

	/** The closing quote within the command being read, never searched for past its end. */
	private int find(int from, int to, String quote) {
		for (int i = from; i + quote.length() <= to; i++) {
			if (text.startsWith(quote, i)) {
				return i;
			}
		}
		return -1;
	}

	private int findDoubleQuote(int from, int to) {
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c == '\\' && i + 1 < to && text.charAt(i + 1) == '"') {
				i++;
			}
			else if (c == '"') {
				return i;
			}
		}
		return -1;
	}

	private boolean hasBlank(int from, int to) {
		for (int i = from; i < to; i++) {
			if (Character.isWhitespace(text.charAt(i))) {
				return true;
			}
		}
		return false;
	}
}
