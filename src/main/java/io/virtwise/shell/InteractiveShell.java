package io.virtwise.shell;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
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

	public InteractiveShell(LineReader reader, CommandRunner runner, Styler styler, String version) {
		this.reader = reader;
		this.runner = runner;
		this.styler = styler;
		this.version = version;
	}

	public int run() {
		PrintWriter out = reader.getTerminal().writer();
		InputReader input = new JLineInputReader(reader);
		out.println(styler.bold("virtwise " + version) + styler.dim("  type 'help' for commands, Tab to complete, Ctrl-D to leave"));
		out.flush();
		String prompt = styler.cyan("virtwise") + "> ";
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
			StringWriter errors = new StringWriter();
			PrintWriter err = new PrintWriter(errors);
			runner.runLine(line, out, err, input);
			err.flush();
			if (errors.getBuffer().length() > 0) {
				errors.toString().lines().forEach(l -> out.println(styler.red(l)));
			}
			out.flush();
		}
		return ExitCodes.OK;
	}
}
