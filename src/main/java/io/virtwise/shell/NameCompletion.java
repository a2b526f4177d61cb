package io.virtwise.shell;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;

/**
 * Tab completion of names (containers, libvirt domains) where a command takes one: the value of
 * the given options ({@code --container}, {@code --guest}) and the given positional slots
 * ({@code docker show NAME}). Names are asked for on every Tab, so new ones appear; when they
 * cannot be had (engine or libvirtd down) there are no proposals, never an error in the line
 * being typed; nor a frozen prompt when a daemon accepts the connection but does not answer: a
 * lookup gets {@link #LOOKUP_LIMIT}, and while one is stuck the next Tab waits on it rather than
 * piling up another. Everything else goes to {@link OptionValueCompletion}.
 */
public final class NameCompletion implements CompletionProvider {

	public static final String CONTAINERS = "containerNameCompletion";
	public static final String DOMAINS = "domainNameCompletion";

	/** Long enough for a first connect on a loaded machine, short for a person at Tab. */
	static final Duration LOOKUP_LIMIT = Duration.ofSeconds(3);

	private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(task -> {
		Thread t = new Thread(task, "name-completion");
		t.setDaemon(true);
		return t;
	});

	private final Function<CompletionContext, List<String>> names;
	private final Duration limit;
	private Future<List<String>> pending;
	private final Set<String> options;
	private final Map<String, Integer> slots;
	private final OptionValueCompletion others;

	/**
	 * @param options long names of the options whose value is a name
	 * @param slots command name to the index of its positional argument that is a name
	 */
	public NameCompletion(Supplier<List<String>> names, Set<String> options, Map<String, Integer> slots,
			OptionValueCompletion others) {
		this(context -> names.get(), options, slots, others);
	}

	/** Names that depend on the line, e.g. on the {@code --libvirt URI} typed before. */
	public NameCompletion(Function<CompletionContext, List<String>> names, Set<String> options, Map<String, Integer> slots,
			OptionValueCompletion others) {
		this(names, options, slots, others, LOOKUP_LIMIT);
	}

	NameCompletion(Function<CompletionContext, List<String>> names, Set<String> options, Map<String, Integer> slots,
			OptionValueCompletion others, Duration limit) {
		this.names = names;
		this.limit = limit;
		this.options = Set.copyOf(options);
		this.slots = Map.copyOf(slots);
		this.others = others;
	}

	@Override
	public List<CompletionProposal> apply(CompletionContext context) {
		CommandOption option = context.getCommandOption();
		if (option != null) {
			return options.contains(option.longName()) ? names(context) : others.apply(context);
		}
		String current = context.currentWordUpToCursor();
		if (current != null && current.startsWith("-")) {
			return List.of();
		}
		return takesName(context) ? names(context) : others.apply(context);
	}

	/** Whether the word being typed is a positional argument in one of the name slots. */
	private boolean takesName(CompletionContext context) {
		List<String> words = context.getWords();
		for (Map.Entry<String, Integer> slot : slots.entrySet()) {
			List<String> name = Arrays.asList(slot.getKey().split(" "));
			if (words.size() > name.size() && words.subList(0, name.size()).equals(name)
					&& positionalIndex(context.getCommand(), words, name.size(), context.getWordIndex()) == slot.getValue()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The index the word at {@code at} would get as a positional argument, counted the way
	 * {@link VirtwiseCommandParser} counts: an option's value word is not an argument, a flag's
	 * neighbour is; -1 when the word is an option's value. Without the command at hand every
	 * option is taken to have a value.
	 */
	static int positionalIndex(Command command, List<String> words, int from, int at) {
		int index = 0;
		boolean onlyArguments = false;
		for (int i = from; i < at; i++) {
			String word = words.get(i);
			if (onlyArguments || !word.startsWith("-") || word.equals("-")) {
				index++;
				continue;
			}
			if (word.equals("--")) {
				onlyArguments = true;
				continue;
			}
			Optional<CommandOption> declared = VirtwiseCommandParser.optionNamed(command, word);
			boolean takesValue = !word.contains("=") && declared.map(o -> !VirtwiseCommandParser.isFlag(o)).orElse(true);
			if (takesValue && ++i == at) {
				return -1;
			}
		}
		return index;
	}

	/**
	 * The value given on the line to {@code --NAME VALUE} or {@code --NAME=VALUE}, before or after
	 * the word being typed (which is never taken as one), else null.
	 */
	static String optionValue(List<String> words, int current, String longName) {
		String value = null;
		for (int i = 0; i < words.size(); i++) {
			String word = words.get(i);
			if (i == current) {
				continue;
			}
			if (word.equals("--" + longName) && i + 1 < words.size() && i + 1 != current) {
				value = words.get(i + 1);
			}
			else if (word.startsWith("--" + longName + "=")) {
				value = word.substring(longName.length() + 3);
			}
		}
		return value;
	}

	private List<CompletionProposal> names(CompletionContext context) {
		Future<List<String>> lookup = lookup(context);
		try {
			return lookup.get(limit.toMillis(), TimeUnit.MILLISECONDS).stream().map(CompletionProposal::new).toList();
		}
		catch (TimeoutException e) {
			return List.of(); // still running: the next Tab waits on this one
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return List.of();
		}
		catch (ExecutionException | RuntimeException e) {
			return List.of();
		}
	}

	/** A fresh lookup, unless the previous one is still waiting for its daemon. */
	private synchronized Future<List<String>> lookup(CompletionContext context) {
		if (pending == null || pending.isDone()) {
			pending = LOOKUPS.submit(() -> names.apply(context));
		}
		return pending;
	}
}
