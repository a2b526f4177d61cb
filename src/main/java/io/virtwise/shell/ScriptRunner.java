package io.virtwise.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.InputFiles;
import org.springframework.shell.core.InputReader;

/**
 * Runs a file of commands, one per line, with the same quoting and comments as the prompt.
 * Stops at the first command that fails and returns its exit code.
 */
public final class ScriptRunner {

	private final CommandRunner runner;

	public ScriptRunner(CommandRunner runner) {
		this.runner = runner;
	}

	public int run(Path file, PrintWriter out, PrintWriter err, InputReader input) {
		List<String> lines;
		try {
			lines = InputFiles.readText(file, "script").lines().toList();
		}
		catch (NoSuchFileException e) {
			throw VirtwiseException.badInput("script " + file + " does not exist", e);
		}
		catch (InputFiles.InputFileException e) {
			throw VirtwiseException.badInput(e.getMessage(), e);
		}
		catch (IOException e) {
			throw VirtwiseException.badInput("cannot read script " + file + ": " + e.getMessage(), e);
		}
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (line.isBlank() || line.stripLeading().startsWith("#")) {
				continue;
			}
			out.println("virtwise> " + line.strip());
			out.flush();
			int code = runner.runLine(line, out, err, input);
			if (code != ExitCodes.OK) {
				err.println("virtwise: script " + file + " stopped at line " + (i + 1) + " (exit " + code + ")");
				err.flush();
				return code;
			}
		}
		return ExitCodes.OK;
	}
}
