package io.virtwise.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.utils.Utils;

/**
 * {@code help} and {@code help COMMAND}, in place of Spring Shell's, whose synopsis runs the
 * options together ({@code --quick boolean--only String}) and which does not show arguments. One
 * command reads like its row in the README: {@code probe docker [--container CONTAINER] [--quick]
 * [--only network|storage] [--reps N] ...}, then each option with its description and default.
 */
final class HelpCommand implements Command {

	/** A description that is a choice, "text or json", gives the placeholder text|json. */
	private static final Pattern CHOICE = Pattern.compile("([\\w-]+)((?:, [\\w-]+)*) or ([\\w-]+)");
	/** ... or a list that ends it: "at or above this severity (info, low, medium, high, critical)". */
	private static final Pattern LISTED = Pattern.compile(".*\\(([\\w-]+(?:, [\\w-]+)+)\\)");

	private final Map<String, List<String>> arguments;

	/** @param arguments each command's argument words ({@link VirtwiseCommandParser#argumentsOf}) */
	HelpCommand(Map<String, List<String>> arguments) {
		this.arguments = Map.copyOf(arguments);
	}

	@Override
	public String getName() {
		return "help";
	}

	@Override
	public String getDescription() {
		return "List the commands, or show one command's synopsis and options: help probe docker";
	}

	@Override
	public String getGroup() {
		return "Built-In Commands";
	}

	@Override
	public ExitStatus execute(CommandContext context) {
		CommandRegistry registry = context.commandRegistry();
		String wanted = String.join(" ", context.parsedInput().arguments().stream().map(CommandArgument::value).toList());
		if (wanted.isBlank()) {
			context.outputWriter().println(Utils.formatAvailableCommands(registry));
			context.outputWriter().flush();
			return ExitStatus.OK;
		}
		Command command = registry.getCommandByName(wanted);
		if (command == null) {
			command = registry.getCommandByAlias(wanted);
		}
		if (command == null) {
			throw VirtwiseException.usage("no command '" + wanted + "' (type 'help' to list commands)");
		}
		context.outputWriter().println(describe(command));
		context.outputWriter().flush();
		return ExitStatus.OK;
	}

	String describe(Command command) {
		StringBuilder out = new StringBuilder();
		out.append("NAME\n\t").append(command.getName()).append(" - ").append(command.getDescription()).append("\n\n");
		out.append("SYNOPSIS\n\t").append(synopsis(command)).append("\n");
		List<CommandOption> options = command.getOptions();
		if (!options.isEmpty()) {
			out.append("\nOPTIONS\n");
			for (CommandOption option : options) {
				out.append('\t').append(spelled(option));
				if (option.defaultValue() != null && !option.defaultValue().isEmpty()) {
					out.append("  (default ").append(option.defaultValue()).append(')');
				}
				out.append('\n');
				if (option.description() != null && !option.description().isEmpty()) {
					out.append("\t\t").append(option.description()).append('\n');
				}
			}
		}
		if (!command.getAliases().isEmpty()) {
			out.append("\nALSO KNOWN AS\n\t").append(String.join(", ", command.getAliases())).append('\n');
		}
		return out.toString().stripTrailing();
	}

	String synopsis(Command command) {
		List<String> words = new ArrayList<>(List.of(command.getName()));
		words.addAll(arguments.getOrDefault(command.getName(), List.of()));
		for (CommandOption option : command.getOptions()) {
			boolean required = Boolean.TRUE.equals(option.required());
			words.add(required ? spelled(option) : "[" + spelled(option) + "]");
		}
		words.add("[--help]");
		return String.join(" ", words);
	}

	/** --reps N, --only network|storage, --quick (a flag takes no value word). */
	private static String spelled(CommandOption option) {
		boolean hasLongName = option.longName() != null && !option.longName().isEmpty();
		String name = hasLongName ? "--" + option.longName() : "-" + option.shortName();
		String description = option.description() == null ? "" : option.description();
		Class<?> type = option.type();
		if (type == boolean.class || type == Boolean.class) {
			return name;
		}
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
			return name + " N";
		}
		if (type == double.class || type == Double.class) {
			return name + " NUMBER";
		}
		Matcher choice = CHOICE.matcher(description);
		if (choice.matches()) {
			return name + " " + (choice.group(1) + choice.group(2)).replace(", ", "|") + "|" + choice.group(3);
		}
		Matcher listed = LISTED.matcher(description);
		if (listed.matches()) {
			return name + " " + listed.group(1).replace(", ", "|");
		}
		if (description.matches(".*\\bfile\\b.*")) {
			return name + " FILE";
		}
		if (description.contains("URI")) {
			return name + " URI";
		}
		return name + " " + (hasLongName ? option.longName().replace('-', '_').toUpperCase(Locale.ROOT) : "VALUE");
	}
}
