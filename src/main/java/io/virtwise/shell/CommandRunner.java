package io.virtwise.shell;

import io.virtwise.shell.view.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

import io.virtwise.advice.rules.AdviceInterruptedException;
import io.virtwise.gather.GatheringInterruptedException;
import io.virtwise.advice.rules.RuleBaseException;
import io.virtwise.advice.rules.RuleEvaluationException;
import io.virtwise.facts.FactsFileException;
import io.virtwise.redact.Redactor;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandExecutionException;
import org.springframework.shell.core.command.CommandExecutor;
import org.springframework.shell.core.command.CommandNotFoundException;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.ParsedInput;

/**
 * The one path every command takes, typed, scripted or one-shot: parse, execute, and turn any
 * failure into one clear line and an exit code. Stack traces only with {@code --debug}.
 */
public final class CommandRunner {

	private final CommandRegistry registry;
	private final VirtwiseCommandParser parser;
	private final CommandExecutor executor;
	private final CommandOutcome outcome;
	private final boolean debug;

	public CommandRunner(CommandRegistry registry, VirtwiseCommandParser parser, CommandOutcome outcome,
			boolean debug) {
		this.registry = registry;
		this.parser = parser;
		this.executor = new CommandExecutor(registry);
		this.outcome = outcome;
		this.debug = debug;
	}

	/** Runs one typed or scripted line; blank lines and comments do nothing. */
	public int runLine(String line, PrintWriter out, PrintWriter err, InputReader input) {
		List<String> words;
		try {
			words = CommandLineTokenizer.tokenize(line);
		}
		catch (VirtwiseException e) {
			return report(e, err);
		}
		return words.isEmpty() ? ExitCodes.OK : runWords(words, out, err, input);
	}

	/** Runs one command given as words, as the operating system's shell already split them. */
	public int runWords(List<String> words, PrintWriter out, PrintWriter err, InputReader input) {
		outcome.reset();
		try {
			ParsedInput parsed = parser.parseWords(words);
			ExitStatus status = executor.execute(new CommandContext(parsed, registry, out, input));
			out.flush();
			if (status.code() != ExitStatus.OK.code()) {
				err.println("virtwise: " + Redactor.redact(status.description().toLowerCase().replace('_', ' ')));
				err.flush();
				return ExitCodes.USAGE;
			}
			return outcome.exitCode();
		}
		catch (Exception e) {
			out.flush();
			return report(e, err);
		}
	}

	private int report(Exception e, PrintWriter err) {
		Throwable cause = unwrap(e);
		int code = exitCodeOf(cause);
		// a URI's password or a token in the failing line must not reach the terminal or the history
		err.println("virtwise: " + TerminalText.clip(Redactor.redact(messageOf(cause))));
		if (debug) {
			java.io.StringWriter trace = new java.io.StringWriter();
			e.printStackTrace(new PrintWriter(trace));
			err.print(Redactor.redact(trace.toString()));
		}
		else if (code == ExitCodes.INTERNAL) {
			err.println("virtwise: this is a bug; run again with --debug for the stack trace");
		}
		err.flush();
		return code;
	}

	private static Throwable unwrap(Throwable e) {
		Throwable t = e;
		while ((t instanceof CommandExecutionException || t instanceof InvocationTargetException
				|| t instanceof UncheckedIOException && t.getCause() != null) && t.getCause() != null) {
			t = t.getCause();
		}
		return t;
	}

	static int exitCodeOf(Throwable t) {
		if (t instanceof VirtwiseException v) {
			return v.exitCode();
		}
		if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException
				|| t instanceof AdviceInterruptedException || t instanceof GatheringInterruptedException) {
			return ExitCodes.INTERRUPTED;
		}
		if (t instanceof CommandNotFoundException || t instanceof IllegalArgumentException
				|| t instanceof org.springframework.core.convert.ConversionException
				|| t instanceof org.springframework.shell.core.ParameterValidationException) {
			return ExitCodes.USAGE;
		}
		if (t instanceof RuleBaseException || t instanceof RuleEvaluationException || t instanceof FactsFileException
				|| t instanceof IOException) {
			return ExitCodes.BAD_INPUT;
		}
		return ExitCodes.INTERNAL;
	}

	private static String messageOf(Throwable t) {
		if (t instanceof CommandNotFoundException c) {
			return "unknown command '" + c.getCommandName() + "' (type 'help' to list commands)";
		}
		if (t instanceof org.springframework.core.convert.ConversionFailedException c) {
			return "cannot read '" + c.getValue() + "' as " + c.getTargetType().getType().getSimpleName();
		}
		if (t instanceof java.nio.file.NoSuchFileException n) {
			return "no such file: " + n.getFile();
		}
		if (t instanceof java.nio.file.AccessDeniedException a) {
			return "permission denied: " + a.getFile();
		}
		if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException) {
			return "interrupted";
		}
		String message = t.getMessage();
		if (message == null || message.isBlank()) {
			return t.getClass().getSimpleName();
		}
		return message.lines().findFirst().orElse(message);
	}
}
