package io.virtwise.shell;

import java.nio.file.Path;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

@Component
public class ScriptCommands {

	// A provider, because the script runner needs the command registry that holds this command.
	private final ObjectProvider<ScriptRunner> scripts;
	private final CommandOutcome outcome;

	public ScriptCommands(ObjectProvider<ScriptRunner> scripts, CommandOutcome outcome) {
		this.scripts = scripts;
		this.outcome = outcome;
	}

	@Command(name = "script", group = "Shell", description = "Run a file of commands (quotes and # comments work)",
			help = "Usage: script FILE. One command per line; stops at the first failing command. "
					+ "From the command line: ./virtwise @FILE.",
			completionProvider = OptionValueCompletion.BEAN)
	public void script(@Argument(index = 0, description = "the file of commands") String file, CommandContext context) {
		if (file == null || file.isBlank()) {
			throw VirtwiseException.usage("script needs a file name: script FILE");
		}
		// Nested commands reset the outcome; keep the script's own result.
		int code = scripts.getObject().run(Path.of(file), context.outputWriter(), context.outputWriter(), context.inputReader());
		outcome.reset();
		if (code != ExitCodes.OK) {
			outcome.requestExitCode(code);
		}
	}
}
