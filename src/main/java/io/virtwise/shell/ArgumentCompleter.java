package io.virtwise.shell;

import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.jline.CommandCompleter;

/**
 * Spring Shell 4.0.1's completer looks the command up by every word typed before the first
 * option, including a half-typed or finished argument, so {@code docker show we<Tab>},
 * {@code facts export src/te<Tab>}, {@code fix apply ID --guest <Tab>} or
 * {@code kvm show web --format <Tab>} found no command and offered nothing. When it finds none,
 * this asks the command named by the leading words, for the option whose value is being typed
 * (if any), and JLine keeps the proposals that match what is typed.
 */
public class ArgumentCompleter extends CommandCompleter {

	private final CommandRegistry registry;

	public ArgumentCompleter(CommandRegistry registry) {
		super(registry);
		this.registry = registry;
	}

	@Override
	public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
		super.complete(reader, line, candidates);
		List<String> words = line.words();
		if (!candidates.isEmpty() || springFoundTheCommand(words)) {
			return;
		}
		int index = line.wordIndex();
		if (index <= 0 || index >= words.size() || words.get(index).startsWith("-")) {
			return;
		}
		Command command = commandBefore(words, index);
		if (command == null || command.getCompletionProvider() == null) {
			return;
		}
		// the previous word names the option whose value this is, unless it is a flag
		CommandOption option = VirtwiseCommandParser.optionNamed(command, words.get(index - 1))
			.filter(o -> !VirtwiseCommandParser.isFlag(o))
			.orElse(null);
		CompletionContext context = new CompletionContext(words, index, line.wordCursor(), command, option);
		for (CompletionProposal p : command.getCompletionProvider().apply(context)) {
			candidates.add(new Candidate(p.value(), p.displayText(), p.category(), p.description(), null, null,
					p.complete(), 0));
		}
	}

	/** Spring's own lookup (the words up to the first option) found a command and already asked it. */
	private boolean springFoundTheCommand(List<String> words) {
		List<String> name = words.stream().takeWhile(w -> !w.startsWith("-")).toList();
		return registry.getCommandByName(String.join(" ", name).trim()) != null;
	}

	/** The longest command name among the words before the current one, options excluded. */
	private Command commandBefore(List<String> words, int index) {
		for (int k = index; k >= 1; k--) {
			List<String> name = words.subList(0, k);
			if (name.stream().anyMatch(w -> w.startsWith("-"))) {
				continue;
			}
			Command command = registry.getCommandByName(String.join(" ", name));
			if (command != null) {
				return command;
			}
		}
		return null;
	}
}
