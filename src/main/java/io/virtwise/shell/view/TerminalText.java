package io.virtwise.shell.view;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.function.BooleanSupplier;

/**
 * What reaches the terminal: names, labels and other imported strings can carry control
 * sequences that set the title, clear the screen or hide text. Every writer the shell prints to
 * goes through {@link #guard}, so no view has to remember it.
 */
public final class TerminalText {

	/** Longest piece of echoed input kept in a message; a pasted 100 KB line stays one readable line. */
	public static final int ECHO_LIMIT = 120;

	/** Longest message line, whatever it echoes. */
	public static final int MESSAGE_LIMIT = 1000;

	private static final char ESC = '\u001B';

	// long enough for any colour Styler writes ("ESC[1;31m"), short enough to bound what is held back
	private static final int MAX_SGR = 24;

	private static final java.util.Set<String> STYLER_PARAMETERS = java.util.Set.of("0", "1", "2", "22", "31", "32", "33", "36", "39");

	private TerminalText() {
	}

	/**
	 * A writer that shows control characters as {@code cat -v} does ({@code ^[}, {@code ^?},
	 * {@code M-^[}), keeping tab and newline; with {@code colour}, the colour sequences Styler writes
	 * pass, since they cannot move the cursor, clear, hide or retitle anything.
	 */
	public static PrintWriter guard(Writer terminal, BooleanSupplier colour) {
		return new PrintWriter(new Guard(terminal, colour));
	}

	/** The text with every control character but tab and newline made visible; no colour passes. */
	public static String neutralise(String text) {
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			visible(text.charAt(i), out);
		}
		return out.toString();
	}

	/**
	 * A message for one line of stderr: control characters made visible, any word (a run without
	 * spaces: an echoed name, value or line) cut to {@link #ECHO_LIMIT} and the whole to
	 * {@link #MESSAGE_LIMIT}.
	 */
	public static String clip(String message) {
		StringBuilder out = new StringBuilder(Math.min(message.length(), MESSAGE_LIMIT + 1));
		int word = 0;
		for (int i = 0; i < message.length() && out.length() < MESSAGE_LIMIT; i++) {
			char c = message.charAt(i) == '\n' || message.charAt(i) == '\t' ? ' ' : message.charAt(i);
			word = c == ' ' ? 0 : word + 1;
			if (word == ECHO_LIMIT + 1) {
				out.append('…');
			}
			if (word <= ECHO_LIMIT) {
				visible(c, out);
			}
		}
		if (out.length() >= MESSAGE_LIMIT && out.charAt(out.length() - 1) != '…') {
			out.append('…');
		}
		return out.toString();
	}

	/**
	 * Only what Styler writes (reset, bold, faint, red, green, yellow, cyan): the same ESC [ ... m form
	 * from data could also conceal text (8), invert it or paint it black on black.
	 */
	static boolean isStylerColour(String parameters) {
		if (parameters.isEmpty()) {
			return true; // ESC [ m, a reset
		}
		for (String p : parameters.split(";", -1)) {
			if (!STYLER_PARAMETERS.contains(p)) {
				return false;
			}
		}
		return true;
	}

	static boolean isControl(char c) {
		return c < 0x20 && c != '\t' && c != '\n' || c >= 0x7F && c <= 0x9F;
	}

	private static void visible(char c, StringBuilder out) {
		if (!isControl(c)) {
			out.append(c);
		}
		else if (c < 0x20) {
			out.append('^').append((char) (c + 0x40));
		}
		else if (c == 0x7F) {
			out.append("^?");
		}
		else {
			out.append("M-");
			visible((char) (c - 0x80), out);
		}
	}

	/** Holds an ESC back until it is known to start a colour sequence, so a split write cannot slip one through. */
	private static final class Guard extends Writer {

		private final Writer terminal;
		private final BooleanSupplier colour;
		private final StringBuilder pending = new StringBuilder();

		Guard(Writer terminal, BooleanSupplier colour) {
			this.terminal = terminal;
			this.colour = colour;
		}

		@Override
		public void write(char[] buffer, int offset, int length) throws IOException {
			StringBuilder out = new StringBuilder(length + 16);
			for (int i = offset; i < offset + length; i++) {
				accept(buffer[i], out);
			}
			terminal.write(out.toString());
		}

		private void accept(char c, StringBuilder out) {
			if (!pending.isEmpty()) {
				pending.append(c);
				if (pending.length() == 2 ? c == '[' : c >= '0' && c <= '9' || c == ';') {
					if (pending.length() <= MAX_SGR) {
						return;
					}
				}
				else if (c == 'm' && pending.length() > 2 && isStylerColour(pending.substring(2, pending.length() - 1))) {
					out.append(pending);
					pending.setLength(0);
					return;
				}
				release(out);
				return;
			}
			if (c == ESC && colour.getAsBoolean()) {
				pending.append(c);
				return;
			}
			visible(c, out);
		}

		/** Not a colour after all: the ESC is shown, and what followed it is looked at again. */
		private void release(StringBuilder out) {
			String held = pending.substring(1);
			pending.setLength(0);
			visible(ESC, out);
			for (int i = 0; i < held.length(); i++) {
				accept(held.charAt(i), out);
			}
		}

		@Override
		public void flush() throws IOException {
			if (!pending.isEmpty()) {
				StringBuilder out = new StringBuilder();
				release(out);
				while (!pending.isEmpty()) {
					release(out);
				}
				terminal.write(out.toString());
			}
			terminal.flush();
		}

		@Override
		public void close() throws IOException {
			flush();
		}
	}
}
