package io.virtwise.shell;

import io.virtwise.shell.view.OutputFormat;
import io.virtwise.shell.view.SessionDiffView;
import io.virtwise.shell.view.SessionView;
import io.virtwise.session.SessionRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

import io.virtwise.session.RecordedSession;
import io.virtwise.session.SessionDiff;
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

	static final String SESSIONS_FOLDER_HELP = "The sessions folder is --sessions DIR given at start-up, else "
			+ "$VIRTWISE_SESSIONS, else sessions/ of the source checkout virtwise runs from, else ~/.virtwise/sessions "
			+ "($VIRTWISE_HOME/sessions).";

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
			help = "Usage: session save NAME. Every interactive session is recorded in the sessions folder as it happens; "
					+ "this gives it a name for 'session replay NAME'. " + SESSIONS_FOLDER_HELP)
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

	@Command(name = "session list", group = "Session", description = "List recorded sessions",
			help = "One line per session of the sessions folder: name, date, host, commands and recommendations; a file "
					+ "that cannot be read is one 'skipped:' line and hides no other. " + SESSIONS_FOLDER_HELP,
			completionProvider = OptionValueCompletion.BEAN)
	public String list(@Option(longName = "format", description = OutputFormat.TEXT_JSON_OR_MARKDOWN, defaultValue = "text") String format)
			throws IOException {
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN);
		return SessionView.list(store.list(), store.folder().toString(), chosen);
	}

	@Command(name = "session show", group = "Session", description = "Print a recorded session",
			help = "Usage: session show NAME (a saved name, a file stem, or a path to a .session.jsonl file). With "
					+ "--format json, each command with its output, exit status, time and the facts it recorded.",
			completionProvider = OptionValueCompletion.BEAN)
	public String show(@Argument(index = 0, description = "the session") String name,
			@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format)
			throws IOException, SessionFileException {
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		return SessionView.show(find(name), chosen);
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
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN,
				OutputFormat.HTML);
		if (after == null || after.isBlank()) {
			throw VirtwiseException.usage("session diff needs two sessions: session diff A B");
		}
		SessionDiff diff;
		try {
			diff = SessionDiff.of(find(before), find(after));
		}
		catch (SessionFileException e) {
			throw VirtwiseException.badInput(e.getMessage(), e);
		}
		String report = switch (chosen) {
			case TEXT -> SessionDiffView.text(diff);
			case JSON -> SessionDiffView.json(diff);
			case MARKDOWN -> SessionDiffView.markdown(diff);
			case HTML -> SessionDiffView.html(diff);
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
		return "Wrote the " + chosen.name().toLowerCase(Locale.ROOT) + " comparison to " + target.toAbsolutePath() + ".";
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
