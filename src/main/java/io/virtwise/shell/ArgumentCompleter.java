package io.virtwise.shell;

import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.jline.CommandCompleter;

/**
 * Spring Shell 4.0.1's completer looks the command up by every word typed so far, including a
 * half-typed argument, so {@code docker show we<Tab>} (or {@code facts export src/te<Tab>})
 * found no command and offered nothing; only an empty word completed. When it finds nothing,
 * this asks the command named by the words before the one being typed, and JLine keeps the
 * proposals that match what is typed.
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
		if (!candidates.isEmpty()) {
			return;
		}
		List<String> words = line.words();
		int index = line.wordIndex();
		if (index <= 0 || index >= words.size() || words.get(index).isEmpty() || words.get(index).startsWith("-")) {
			return;
		}
		Command command = commandBefore(words, index);
		if (command == null || command.getCompletionProvider() == null) {
			return;
		}
		CompletionContext context = new CompletionContext(words, index, line.wordCursor(), command, null);
		for (CompletionProposal p : command.getCompletionProvider().apply(context)) {
			candidates.add(new Candidate(p.value(), p.displayText(), p.category(), p.description(), null, null,
					p.complete(), 0));
		}
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
