package io.virtwise.shell;

import io.virtwise.shell.view.AnsiText;
import io.virtwise.shell.view.Styler;
import io.virtwise.shell.view.TerminalText;
import io.virtwise.session.SessionRecorder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.jline.JLineInputReader;

/**
 * The prompt: reads lines with JLine (history, Tab completion from Spring Shell's command
 * registry), runs each through the {@link CommandRunner}, and keeps going whatever a command does.
 * Ctrl-C abandons the line being typed; Ctrl-D or {@code exit} leaves.
 */
public final class InteractiveShell {

	private static final Set<String> EXIT_WORDS = Set.of("exit", "quit");

	private final LineReader reader;
	private final CommandRunner runner;
	private final Styler styler;
	private final String version;
	private final SessionRecorder recorder;
	private final CommandOutcome outcome;

	public InteractiveShell(LineReader reader, CommandRunner runner, Styler styler, String version,
			SessionRecorder recorder, CommandOutcome outcome) {
		this.reader = reader;
		this.runner = runner;
		this.styler = styler;
		this.version = version;
		this.recorder = recorder;
		this.outcome = outcome;
	}

	public int run() {
		// a command's output never writes to the terminal unguarded: imported names can hold escape sequences
		PrintWriter out = TerminalText.guard(reader.getTerminal().writer(), styler::enabled);
		InputReader input = new JLineInputReader(reader);
		out.println(styler.bold("virtwise " + version) + styler.dim("  type 'help' for commands, Tab to complete, Ctrl-D to leave"));
		out.flush();
		String prompt = styler.cyan("virtwise") + "> ";
		HistoryFile.secure(reader);
		while (true) {
			String line;
			try {
				line = reader.readLine(prompt);
			}
			catch (UserInterruptException e) {
				continue;
			}
			catch (EndOfFileException e) {
				break;
			}
			String trimmed = line.strip();
			if (EXIT_WORDS.contains(trimmed)) {
				break;
			}
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			StringWriter shown = new StringWriter();
			StringWriter errors = new StringWriter();
			PrintWriter err = new PrintWriter(errors);
			long start = System.nanoTime();
			// Ctrl-C during a command interrupts that command (a probe stops and cleans up), not the shell.
			Thread commandThread = Thread.currentThread();
			Terminal.SignalHandler previous = reader.getTerminal().handle(Terminal.Signal.INT, signal -> commandThread.interrupt());
			int code;
			try {
				code = runner.runLine(line, new PrintWriter(new TeeWriter(out, shown)), err, input);
			}
			finally {
				reader.getTerminal().handle(Terminal.Signal.INT, previous);
				Thread.interrupted(); // a late Ctrl-C must not hit the next prompt
			}
			long millis = (System.nanoTime() - start) / 1_000_000;
			err.flush();
			if (errors.getBuffer().length() > 0) {
				errors.toString().lines().forEach(l -> out.println(styler.red(l)));
			}
			out.flush();
			recorder.record(line, AnsiText.strip(shown.toString() + errors), code, millis, outcome.facts(), outcome.recommendations());
		}
		return ExitCodes.OK;
	}

	/** Shows output on the terminal and keeps a copy for the session journal. */
	private static final class TeeWriter extends java.io.Writer {

		private final java.io.Writer terminal;
		private final java.io.Writer copy;

		TeeWriter(java.io.Writer terminal, java.io.Writer copy) {
			this.terminal = terminal;
			this.copy = copy;
		}

		@Override
		public void write(char[] buffer, int offset, int length) throws java.io.IOException {
			terminal.write(buffer, offset, length);
			copy.write(buffer, offset, length);
		}

		@Override
		public void flush() throws java.io.IOException {
			terminal.flush();
		}

		@Override
		public void close() {
			// the terminal outlives every command
		}
	}
}
