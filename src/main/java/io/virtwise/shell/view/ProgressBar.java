package io.virtwise.shell.view;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.virtwise.probe.core.ProbeProgress;

/**
 * Progress of a probe run on stderr: on a terminal a bar redrawn in place after every step;
 * otherwise one plain line per step, so logs show what ran without control characters.
 */
public final class ProgressBar implements ProbeProgress {

	private static final int BAR = 24;

	private final PrintStream err;
	private final boolean terminal;
	private final int columns;
	private int total = 1;
	private int done;
	private boolean drawn;

	public ProgressBar(PrintStream err, boolean terminal, int columns) {
		this.err = err;
		this.terminal = terminal;
		this.columns = Math.max(40, columns);
	}

	/** For stderr of this process: a terminal when /proc says fd 2 is a tty or pty. */
	public static ProgressBar forStderr() {
		boolean tty;
		try {
			String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
			tty = target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
		}
		catch (IOException | UnsupportedOperationException e) {
			tty = false;
		}
		int cols = 80;
		try {
			cols = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80"));
		}
		catch (NumberFormatException ignored) {
			// keep 80
		}
		return new ProgressBar(System.err, tty && !"dumb".equals(System.getenv("TERM")), cols);
	}

	@Override
	public synchronized void begin(int steps) {
		total = Math.max(1, steps);
		done = Math.min(done, total);
	}

	@Override
	public synchronized void step(String step) {
		// the progress goes straight to stderr, past the output guard, and a step can name a container
		String label = step == null ? "" : TerminalText.neutralise(step);
		done++;
		if (done > total) {
			total = done;
		}
		if (!terminal) {
			err.println(String.format(Locale.ROOT, "probe [%d/%d] %s", done, total, label));
			err.flush();
			return;
		}
		String line = render(done, total, label, columns);
		err.print("\r" + line + "\u001B[K");
		err.flush();
		drawn = true;
	}

	@Override
	public synchronized void end() {
		if (terminal && drawn) {
			err.print("\r\u001B[K");
			err.flush();
		}
	}

	/** {@code [█████·······] 12/44 label}, cut to the terminal width. */
	static String render(int done, int total, String label, int columns) {
		int filled = (int) Math.round((double) done / total * BAR);
		String bar = "█".repeat(filled) + "·".repeat(BAR - filled);
		String line = "[" + bar + "] " + done + "/" + total + " " + label;
		return line.length() > columns - 1 ? line.substring(0, columns - 1) : line;
	}
}
