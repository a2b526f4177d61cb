package io.virtwise.shell;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.springframework.shell.core.InputReader;

/** One command line run through the shell's own runner, as a user types it: its exit code and what it printed. */
public record ShellRun(int code, String out, String err) {

	/** Runs {@code line}; any question the command asks finds no answer, as in one-shot use. */
	public static ShellRun of(CommandRunner runner, String line) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = runner.runLine(line, new PrintWriter(out), new PrintWriter(err), new InputReader() {
		});
		return new ShellRun(code, out.toString(), err.toString());
	}
}
