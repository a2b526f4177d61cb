package io.virtwise.shell;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ParsedInput;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.util.ClassUtils;

/**
 * Turns words into Spring Shell's {@link ParsedInput}, matching the longest command name
 * ({@code rules reload} before {@code rules}) and refusing options the command does not take,
 * which Spring Shell would otherwise ignore silently.
 */
public final class VirtwiseCommandParser implements CommandParser {

	private final CommandRegistry registry;
	/** command name -> how many argument words it takes; a command not in it takes any number */
	private final Map<String, Integer> arity;
	/** command name -> its argument words, for help's synopsis ({@link #argumentsOf}) */
	private final Map<String, List<String>> arguments;

	public VirtwiseCommandParser(CommandRegistry registry) {
		this(registry, Map.of());
	}

	/** @param arguments each command's argument words ({@link #argumentsOf}), read once for parsing and help */
	public VirtwiseCommandParser(CommandRegistry registry, Map<String, List<String>> arguments) {
		this.registry = registry;
		this.arguments = Map.copyOf(arguments);
		this.arity = arityOf(this.arguments);
	}

	public Map<String, List<String>> arguments() {
		return arguments;
	}

	/**
	 * How many argument words each {@code @Command} method of these beans takes: its highest
	 * {@code @Argument} index plus one. A method with {@code @Arguments} (any number) is left out.
	 */
	private static Map<String, Integer> arityOf(Map<String, List<String>> arguments) {
		Map<String, Integer> arity = new HashMap<>();
		arguments.forEach((name, words) -> {
			if (words.stream().noneMatch(w -> w.endsWith("..."))) {
				arity.put(name, words.size());
			}
		});
		return arity;
	}

	/**
	 * The argument words of each {@code @Command} method of these beans, named after their
	 * parameters for help's synopsis ({@code docker show NAME}); {@code @Arguments} ends in "...".
	 */
	public static Map<String, List<String>> argumentsOf(Collection<Class<?>> commandClasses) {
		Map<String, List<String>> arguments = new HashMap<>();
		for (Class<?> type : commandClasses) {
			for (Method method : ClassUtils.getUserClass(type).getMethods()) {
				org.springframework.shell.core.command.annotation.Command command = method
					.getAnnotation(org.springframework.shell.core.command.annotation.Command.class);
				if (command == null || command.name().length == 0) {
					continue;
				}
				Map<Integer, String> byIndex = new TreeMap<>();
				String any = null;
				for (Parameter parameter : method.getParameters()) {
					Argument argument = parameter.getAnnotation(Argument.class);
					if (argument != null) {
						byIndex.put(argument.index(), placeholder(parameter));
					}
					if (parameter.isAnnotationPresent(Arguments.class)) {
						any = placeholder(parameter) + "...";
					}
				}
				List<String> words = new ArrayList<>();
				int highest = byIndex.isEmpty() ? -1 : Collections.max(byIndex.keySet());
				for (int i = 0; i <= highest; i++) {
					words.add(byIndex.getOrDefault(i, "ARG"));
				}
				if (any != null) {
					words.add(any);
				}
				arguments.put(String.join(" ", command.name()), List.copyOf(words));
			}
		}
		return arguments;
	}

	/** sessionName -> SESSION_NAME; ARG when the class was compiled without parameter names. */
	private static String placeholder(Parameter parameter) {
		return parameter.isNamePresent() ? parameter.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT)
				: "ARG";
	}

	@Override
	public ParsedInput parse(String input) {
		return parseWords(CommandLineTokenizer.tokenize(input));
	}

	public ParsedInput parseWords(List<String> words) {
		if (words.isEmpty()) {
			throw VirtwiseException.usage("empty command");
		}
		int nameLength = 0;
		Command found = null;
		for (int k = words.size(); k >= 1; k--) {
			if (words.subList(0, k).stream().anyMatch(w -> w.startsWith("-"))) {
				continue;
			}
			Command candidate = registry.getCommandByName(String.join(" ", words.subList(0, k)));
			if (candidate != null) {
				found = candidate;
				nameLength = k;
				break;
			}
		}
		ParsedInput.Builder builder = ParsedInput.builder().commandName(words.get(0));
		Command command = found;
		if (command == null) {
			return unknownOrGroup(words, builder);
		}
		words.subList(1, nameLength).forEach(builder::addSubCommand);
		String name = String.join(" ", words.subList(0, nameLength));
		List<String> rest = words.subList(nameLength, words.size());
		List<String> arguments = new ArrayList<>();
		boolean onlyArguments = false;
		for (int i = 0; i < rest.size(); i++) {
			String word = rest.get(i);
			if (onlyArguments || !word.startsWith("-") || word.equals("-")) {
				builder.addArgument(new CommandArgument(arguments.size(), word));
				arguments.add(word);
				continue;
			}
			if (word.equals("--")) {
				onlyArguments = true;
				continue;
			}
			if (word.equals("--help") || word.equals("-h")) {
				builder.addOption(CommandOption.with().shortName('h').longName("help").value("true").build());
				continue;
			}
			String key = word.startsWith("--") ? word.substring(2) : word.substring(1);
			String value = null;
			int eq = key.indexOf('=');
			if (eq >= 0) {
				value = key.substring(eq + 1);
				key = key.substring(0, eq);
			}
			CommandOption declared = findOption(command, word.startsWith("--"), key)
				.orElseThrow(() -> unknownOption(name, word, command));
			if (value == null) {
				if (isFlag(declared)) {
					value = "true";
				}
				else if (i + 1 < rest.size() && !rest.get(i + 1).startsWith("--")) {
					value = rest.get(++i);
				}
				else {
					throw VirtwiseException.usage("option --" + declared.longName() + " of '" + name + "' needs a value");
				}
			}
			requireNumberWhereOneIsDeclared(name, declared, value);
			builder.addOption(CommandOption.with()
				.shortName(declared.shortName())
				.longName(declared.longName())
				.type(declared.type())
				.value(value)
				.build());
		}
		Integer takes = arity.get(name);
		if (takes != null && arguments.size() > takes) {
			// Spring Shell would drop the extra words silently: docker show a b showed a alone
			throw VirtwiseException.usage("'" + name + "' takes " + (takes == 0 ? "no arguments" : takes == 1 ? "one argument"
					: takes + " arguments") + "; not expected: " + String.join(" ", arguments.subList(takes, arguments.size())));
		}
		return builder.build();
	}

	private ParsedInput unknownOrGroup(List<String> words, ParsedInput.Builder builder) {
		String first = words.get(0);
		boolean isGroup = registry.getCommands().stream().anyMatch(c -> c.getName().startsWith(first + " "));
		if (!isGroup) {
			throw VirtwiseException.usage("unknown command '" + first + "' (type 'help' to list commands)");
		}
		if (words.size() > 1 && !words.get(1).startsWith("-")) {
			throw VirtwiseException.usage("unknown command '" + first + " " + words.get(1) + "'; '" + first
					+ "' has: " + registry.getCommands().stream()
						.map(Command::getName)
						.filter(n -> n.startsWith(first + " "))
						.sorted()
						.collect(Collectors.joining(", ")));
		}
		return builder.build();
	}

	/** Spring Shell's own conversion error would not name the option: "cannot read 'abc' as Integer". */
	private static void requireNumberWhereOneIsDeclared(String name, CommandOption declared, String value) {
		Class<?> type = declared.type();
		boolean whole = type == int.class || type == Integer.class || type == long.class || type == Long.class;
		boolean decimal = type == double.class || type == Double.class;
		if (!whole && !decimal) {
			return;
		}
		try {
			if (whole) {
				Long.parseLong(value.trim());
			}
			else {
				Double.parseDouble(value.trim());
			}
		}
		catch (NumberFormatException e) {
			throw VirtwiseException.usage("option --" + declared.longName() + " of '" + name + "' takes "
					+ (whole ? "a whole number" : "a number") + ", not '" + value + "'");
		}
	}

	/** A flag takes no value word: {@code --quick}, not {@code --quick true}. */
	static boolean isFlag(CommandOption option) {
		return option.type() == boolean.class || option.type() == Boolean.class;
	}

	/** The option a word such as {@code --guest} or {@code -g} names, if the command declares it. */
	static Optional<CommandOption> optionNamed(Command command, String word) {
		if (command == null || !word.startsWith("-") || word.equals("-") || word.equals("--")) {
			return Optional.empty();
		}
		boolean longForm = word.startsWith("--");
		return findOption(command, longForm, word.substring(longForm ? 2 : 1));
	}

	private static Optional<CommandOption> findOption(Command command, boolean longForm, String key) {
		return command.getOptions().stream()
			.filter(o -> longForm ? key.equals(o.longName()) : key.length() == 1 && o.shortName() == key.charAt(0))
			.findFirst();
	}

	private static VirtwiseException unknownOption(String name, String word, Command command) {
		String known = command.getOptions().stream()
			.map(o -> "--" + o.longName())
			.sorted()
			.collect(Collectors.joining(", "));
		return VirtwiseException.usage("unknown option " + word + " for '" + name + "'"
				+ (known.isEmpty() ? "; it takes no options" : "; it takes " + known));
	}
}
