package io.virtwise.shell;

import io.virtwise.session.SessionRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

import io.virtwise.session.RecordedSession;
import io.virtwise.session.SessionDiff;
import io.virtwise.session.SessionEntry;
import io.virtwise.session.SessionFileException;
import io.virtwise.session.SessionStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

@Component
public class SessionCommands {

	private final SessionRecorder recorder;
	private final SessionStore store;
	// A provider, because the replayer runs commands through the registry that holds these ones.
	private final ObjectProvider<SessionReplayer> replayer;

	private final LaunchOptions options;

	public SessionCommands(SessionRecorder recorder, SessionStore store, ObjectProvider<SessionReplayer> replayer,
			LaunchOptions options) {
		this.recorder = recorder;
		this.store = store;
		this.replayer = replayer;
		this.options = options;
	}

	@Command(name = "session save", group = "Session", description = "Name the current session so it can be replayed later",
			help = "Usage: session save NAME. Every interactive session is recorded under sessions/ as it happens; "
					+ "this gives it a name for 'session replay NAME'.")
	public String save(@Argument(index = 0, description = "the name") String name) throws IOException, SessionFileException {
		if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9_.-]+")) {
			throw VirtwiseException.usage("session save needs a name of letters, digits, '.', '_' or '-': session save NAME");
		}
		if (options.singleCommand()) {
			// it would name a session holding nothing but itself
			throw VirtwiseException.usage("session save names the session it is typed in, and a one-shot command has none "
					+ "before it: run ./virtwise (or a script, ./virtwise @FILE), then session save NAME");
		}
		for (SessionStore.Summary existing : store.list().sessions()) {
			if (name.equals(existing.name()) && !existing.file().equals(recorder.currentFile())) {
				throw VirtwiseException.usage("a session named '" + name + "' exists already (" + existing.file() + ")");
			}
		}
		Path file = recorder.name(name);
		return "Saved this session as '" + name + "' (" + file + ").";
	}

	@Command(name = "session list", group = "Session", description = "List recorded sessions")
	public String list() throws IOException {
		SessionStore.Listing listing = store.list();
		StringBuilder out = new StringBuilder();
		out.append(String.format("%-34s %-21s %-16s %8s %16s%n", "NAME", "DATE", "HOST", "COMMANDS", "RECOMMENDATIONS"));
		for (SessionStore.Summary s : listing.sessions()) {
			out.append(String.format("%-34s %-21s %-16s %8d %16d%n", s.displayName(), s.header().at(), s.header().host(),
					s.commandCount(), s.recommendationCount()));
		}
		for (String problem : listing.problems()) {
			out.append("skipped: ").append(problem).append('\n');
		}
		out.append(listing.sessions().size()).append(" sessions in ").append(store.folder());
		return out.toString();
	}

	@Command(name = "session show", group = "Session", description = "Print a recorded session",
			help = "Usage: session show NAME (a saved name, a file stem, or a path to a .session.jsonl file).")
	public String show(@Argument(index = 0, description = "the session") String name) throws IOException, SessionFileException {
		RecordedSession session = find(name);
		StringBuilder out = new StringBuilder();
		SessionEntry h = session.header();
		out.append("Session ").append(session.displayName()).append(": ").append(h.at()).append(" on ").append(h.host())
			.append(", virtwise ").append(h.tool()).append(", ").append(session.commands().size()).append(" commands\n");
		for (SessionEntry c : session.commands()) {
			out.append("\n[").append(c.at()).append("] virtwise> ").append(c.line()).append("   (exit ").append(c.exit())
				.append(", ").append(c.millis()).append(" ms").append(c.facts() != null ? ", facts recorded" : "").append(")\n");
			if (c.output() != null && !c.output().isBlank()) {
				out.append(c.output().stripTrailing()).append('\n');
			}
		}
		return out.toString().stripTrailing();
	}

	@Command(name = "session replay", group = "Session", description = "Replay a session offline with the current rules",
			help = "Usage: session replay NAME. Re-runs each command on the facts it recorded (never the live host) "
					+ "and shows the recorded output against today's, marking what changed. --live re-runs them on this "
					+ "host instead, asking before any probe that creates containers or guests.")
	public String replay(@Argument(index = 0, description = "the session") String name,
			@Option(longName = "live", description = "re-run the commands on this host (asks before any probe)") boolean live,
			CommandContext context) throws IOException, SessionFileException {
		return replayer.getObject().replay(find(name), live, context.inputReader());
	}

	@Command(name = "session diff", group = "Session", description = "Compare two sessions: before and after tuning",
			help = "Usage: session diff A B [--format text|json|markdown|html] [--output FILE]. Probe results side by side "
					+ "as ratios B/A with a bar chart, recommendations that disappeared, appeared or changed, and facts "
					+ "that changed. The HTML report is one self-contained file.",
			completionProvider = OptionValueCompletion.BEAN)
	public String diff(@Argument(index = 0, description = "the session before") String before,
			@Argument(index = 1, description = "the session after") String after,
			@Option(longName = "format", description = "text, json, markdown or html", defaultValue = "text") String format,
			@Option(longName = "output", description = "write the report to this file instead of the screen") String output)
			throws IOException, SessionFileException {
		if (after == null || after.isBlank()) {
			throw VirtwiseException.usage("session diff needs two sessions: session diff A B");
		}
		String wanted = format == null ? "text" : format.toLowerCase(Locale.ROOT);
		SessionDiff diff;
		try {
			diff = SessionDiff.of(find(before), find(after));
		}
		catch (SessionFileException e) {
			throw VirtwiseException.badInput(e.getMessage(), e);
		}
		String report = switch (wanted) {
			case "text" -> SessionDiffView.text(diff);
			case "json" -> SessionDiffView.json(diff);
			case "markdown" -> SessionDiffView.markdown(diff);
			case "html" -> SessionDiffView.html(diff);
			default -> throw VirtwiseException.usage("unknown format '" + format + "'; use one of text, json, markdown, html");
		};
		if (output == null || output.isBlank()) {
			return report;
		}
		Path target = Path.of(output);
		Path dir = target.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		Path tmp = Files.createTempFile(dir, ".virtwise-report", ".tmp");
		Files.writeString(tmp, report);
		Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		return "Wrote the " + wanted + " comparison to " + target.toAbsolutePath() + ".";
	}

	private RecordedSession find(String name) throws IOException, SessionFileException {
		if (name == null || name.isBlank()) {
			throw VirtwiseException.usage("which session? e.g. session show NAME (session list shows them)");
		}
		try {
			return store.find(name);
		}
		catch (SessionFileException e) {
			boolean unknown = e.getMessage().toLowerCase(Locale.ROOT).startsWith("no session named");
			throw new VirtwiseException(unknown ? ExitCodes.USAGE : ExitCodes.BAD_INPUT, e.getMessage(), e);
		}
	}
}
