package io.virtwise.shell;

import io.virtwise.shell.view.AnsiText;
import io.virtwise.gather.FactsGatherer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.virtwise.advice.rules.RuleBaseService;
import io.virtwise.session.LineDiff;
import io.virtwise.session.RecordedSession;
import io.virtwise.session.SessionEntry;
import org.springframework.shell.core.InputReader;

/**
 * Replays a recorded session offline: each command that recorded its facts is run again on those
 * facts with the current rules, and its recorded output is shown against today's, marking what
 * changed. Nothing touches the live host, so the same session and rules give the same bytes.
 */
public final class SessionReplayer {

	/**
	 * The allow-list of an offline replay: commands that only read and print, each with the options
	 * it may carry. Anything else (facts export FILE, fix, probes, facts import, rules reload, an
	 * option such as --output FILE, a command added later) shows its recorded output and is not
	 * re-run, so replaying a session file can never write a file or change anything it names.
	 * {@code --facts FILE} is dropped before the check: a replay reads the recorded facts instead.
	 */
	private static final Map<String, Set<String>> READ_ONLY_WITH_FACTS = Map.of(
			"advise", Set.of("--format", "--fail-on", "--timing"),
			"host", Set.of("--format"));

	/** Read-only commands that need no facts at all. */
	private static final Map<String, Set<String>> READ_ONLY_WITHOUT_FACTS = Map.of(
			"rules", Set.of(),
			"help", Set.of());

	/** Commands that create containers or guests: a live replay asks first. */
	private static final Set<String> CREATES_THINGS = Set.of("probe");

	private static final InputReader NO_INPUT = new InputReader() {
	};

	private final CommandRunner runner;
	private final FactsGatherer gatherer;
	private final RuleBaseService rules;

	public SessionReplayer(CommandRunner runner, FactsGatherer gatherer, RuleBaseService rules) {
		this.runner = runner;
		this.gatherer = gatherer;
		this.rules = rules;
	}

	public String replay(RecordedSession session) {
		return replay(session, false, NO_INPUT);
	}

	/**
	 * With {@code live}, the recorded commands run again on this host and today's output is
	 * compared with the recorded one; a probe, which creates containers or guests, runs only after
	 * the user says yes at the prompt.
	 */
	public String replay(RecordedSession session, boolean live, InputReader input) {
		StringBuilder out = new StringBuilder();
		SessionEntry header = session.header();
		out.append(live ? "Replaying live on this host " : "Replaying ").append(session.displayName()).append(": recorded ").append(header.at()).append(" on ")
			.append(header.host()).append(" with virtwise ").append(header.tool()).append(", ")
			.append(session.commands().size()).append(" commands\n");
		String currentHash = currentRulesHash();
		out.append("rules then ").append(shortHash(header.rulesHash())).append(", now ").append(shortHash(currentHash))
			.append(header.rulesHash() != null && header.rulesHash().equals(currentHash) ? " (same rules)\n" : " (rules changed)\n");
		if (session.truncatedTail()) {
			out.append("note: the last command was cut short when the session ended abruptly and is not replayed\n");
		}
		int changed = 0;
		for (SessionEntry command : session.commands()) {
			out.append("\nvirtwise> ").append(command.line()).append('\n');
			List<String> words = CommandLineTokenizer.tokenize(command.line());
			String first = words.isEmpty() ? "" : words.get(0);
			String now;
			if (first.equals("session")) {
				out.append("  (session command: not replayed)\n");
				continue;
			}
			if (first.equals("fix")) {
				// changes a guest's definition: never again behind the user's back, live or not
				out.append("  (fix command: changes guest configuration, not replayed; recorded output follows)\n");
				indent(out, command.output());
				continue;
			}
			if (live) {
				// a session file may come from someone else: a path in it is never written, live or not
				String writes = writesAFile(words);
				if (writes != null) {
					out.append("  (").append(writes).append("; recorded output follows)\n");
					indent(out, command.output());
					continue;
				}
				if (CREATES_THINGS.contains(first) && !confirmed(input, command.line())) {
					out.append("  (skipped: creates containers or guests and was not confirmed)\n");
					continue;
				}
				now = run(words);
			}
			else if (CREATES_THINGS.contains(first)) {
				out.append("  (a probe: measured then, not re-run offline; recorded output follows)\n");
				indent(out, command.output());
				continue;
			}
			else {
				List<String> offline = withoutFactsFile(words);
				String refusal = notReplayable(offline, command.facts() != null);
				if (refusal != null) {
					out.append("  (").append(refusal).append("; recorded output follows)\n");
					indent(out, command.output());
					continue;
				}
				now = command.facts() != null ? gatherer.withRecordedFacts(command.facts(), () -> run(offline)) : run(offline);
			}
			List<LineDiff.Line> diff = LineDiff.diff(lines(command.output()), lines(now));
			if (diff.stream().allMatch(l -> l.kind() == LineDiff.Kind.SAME)) {
				out.append("  = unchanged (").append(diff.size()).append(" lines)\n");
				continue;
			}
			changed++;
			out.append(live ? "  ~ changed on this host (- recorded, + now):\n" : "  ~ changed with the current rules (- recorded, + now):\n");
			for (LineDiff.Line line : diff) {
				char mark = switch (line.kind()) {
					case SAME -> ' ';
					case REMOVED -> '-';
					case ADDED -> '+';
				};
				out.append("  ").append(mark).append(' ').append(line.text()).append('\n');
			}
		}
		out.append("\n").append(changed == 0 ? "Every replayed command gives the recorded output."
				: changed + (live ? " command(s) give different output on this host now." : " command(s) give different output with the current rules."));
		return out.toString();
	}

	private static boolean confirmed(InputReader input, String line) {
		try {
			String answer = input.readInput("Run '" + line + "' on this host? It creates containers or guests. [y/N] ");
			return answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
		}
		catch (Exception e) {
			return false; // no one to ask (one-shot, script): do not create anything
		}
	}

	private String run(List<String> words) {
		StringWriter output = new StringWriter();
		PrintWriter writer = new PrintWriter(output);
		runner.runWords(words, writer, writer, NO_INPUT);
		writer.flush();
		return AnsiText.strip(output.toString());
	}

	/** Why these words are not re-run because they write a file, or null. */
	static String writesAFile(List<String> words) {
		if (words.size() > 1 && words.get(0).equals("facts") && words.get(1).equals("export")) {
			return "not re-run: writes " + (words.size() > 2 ? words.get(2) : "a file");
		}
		String written = valueOf(words, "--output");
		return written == null ? null : "not re-run: writes " + written;
	}

	/**
	 * Why an offline replay does not re-run these words, or null when they are on the allow-list:
	 * a known read-only command, with only the options known to be read-only.
	 */
	static String notReplayable(List<String> words, boolean hasFacts) {
		if (words.isEmpty()) {
			return "not re-run: empty command";
		}
		String first = words.get(0);
		String two = words.size() > 1 ? first + " " + words.get(1) : first;
		String writes = writesAFile(words);
		if (writes != null) {
			return writes;
		}
		if (first.equals("help")) {
			return null; // only prints, whatever the topic
		}
		Set<String> options = (hasFacts ? READ_ONLY_WITH_FACTS : READ_ONLY_WITHOUT_FACTS).get(first);
		if (options == null) {
			if (two.equals("facts import")) {
				return "not re-run: changes this session's facts";
			}
			return hasFacts ? "not re-run offline: '" + two + "' is not a read-only view"
					: "needs the live host; 'session replay --live' re-runs it";
		}
		for (int i = 1; i < words.size(); i++) {
			String w = words.get(i);
			String name = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
			if (w.startsWith("-") && !options.contains(name)) {
				return "not re-run: option " + name + " is not known to be read-only";
			}
			if (!w.startsWith("-") && (i == 1 || !words.get(i - 1).startsWith("--") || words.get(i - 1).equals("--timing"))) {
				return "not re-run: argument '" + w + "' is not known to be read-only";
			}
		}
		return null;
	}

	private static String valueOf(List<String> words, String option) {
		for (int i = 0; i < words.size(); i++) {
			String w = words.get(i);
			if (w.equals(option)) {
				return i + 1 < words.size() ? words.get(i + 1) : "a file";
			}
			if (w.startsWith(option + "=")) {
				return w.substring(option.length() + 1);
			}
		}
		return null;
	}

	/** A replayed advise reads the recorded facts, not a file that may be gone. */
	private static List<String> withoutFactsFile(List<String> words) {
		List<String> out = new ArrayList<>();
		for (int i = 0; i < words.size(); i++) {
			String w = words.get(i);
			if (w.equals("--facts")) {
				i++;
				continue;
			}
			if (w.startsWith("--facts=")) {
				continue;
			}
			out.add(w);
		}
		return out;
	}

	private String currentRulesHash() {
		try {
			return rules.get().contentHash();
		}
		catch (Exception e) {
			return null;
		}
	}

	private static String shortHash(String hash) {
		return hash == null ? "unknown" : hash.substring(0, Math.min(12, hash.length()));
	}

	private static List<String> lines(String text) {
		return text == null ? List.of() : text.stripTrailing().lines().toList();
	}

	private static void indent(StringBuilder out, String text) {
		lines(text).forEach(l -> out.append("    ").append(l).append('\n'));
	}
}
