package io.virtwise.shell;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.virtwise.advice.Severity;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;
import org.springframework.shell.core.command.completion.FileNameCompletionProvider;

/**
 * Tab completion of option values shared by all commands: formats, severities, and file names
 * for options and positional arguments that take a path.
 */
public final class OptionValueCompletion implements CompletionProvider {

	public static final String BEAN = "optionValueCompletion";

	private static final Set<String> PATH_OPTIONS = Set.of("facts", "rules", "output");
	private static final Set<String> PATH_ARGUMENT_COMMANDS = Set.of("facts export", "facts import", "script");

	private final FileNameCompletionProvider files = new FileNameCompletionProvider();

	@Override
	public List<CompletionProposal> apply(CompletionContext context) {
		String option = context.getCommandOption() == null ? null : context.getCommandOption().longName();
		if (option == null) {
			String command = context.getCommand() == null ? "" : context.getCommand().getName();
			String current = context.currentWordUpToCursor();
			boolean typingOption = current != null && current.startsWith("-");
			return !typingOption && PATH_ARGUMENT_COMMANDS.contains(command) ? fileNames(context) : List.of();
		}
		return switch (option) {
			case "format" -> proposals(formatsOf(context));
			case "fail-on" -> proposals(Arrays.stream(Severity.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
			default -> PATH_OPTIONS.contains(option) ? fileNames(context) : List.of();
		};
	}

	private static List<String> formatsOf(CompletionContext context) {
		String description = context.getCommandOption().description();
		if (description != null && description.contains("html")) {
			return List.of("text", "json", "markdown", "html");
		}
		if (description != null && description.contains("markdown")) {
			return List.of("text", "json", "markdown");
		}
		return List.of("text", "json");
	}

	private List<CompletionProposal> fileNames(CompletionContext context) {
		try {
			return files.apply(context);
		}
		catch (UncheckedIOException e) {
			return List.of();
		}
	}

	private static List<CompletionProposal> proposals(List<String> values) {
		return values.stream().map(CompletionProposal::new).toList();
	}
}
