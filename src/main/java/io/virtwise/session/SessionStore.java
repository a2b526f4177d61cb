package io.virtwise.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.InputFiles;
import io.virtwise.redact.Redactor;

/**
 * The folder of recorded sessions. Reading is forgiving only where a crash explains the damage:
 * a last line cut short by a kill is dropped; anything else wrong is an error naming the file.
 */
public final class SessionStore {

	public static final String SUFFIX = ".session.jsonl";

	private final Path folder;

	public SessionStore(Path folder) {
		this.folder = folder;
	}

	public Path folder() {
		return folder;
	}

	public static RecordedSession load(Path file) throws SessionFileException {
		return (RecordedSession) read(file, true);
	}

	/** The session's header, name and counts, reading one entry at a time and keeping none of its commands. */
	public static Summary summarize(Path file) throws SessionFileException {
		return (Summary) read(file, false);
	}

	/** What {@code session list} shows of a session: never its commands' output or facts. */
	public record Summary(Path file, SessionEntry header, String name, int commandCount, int recommendationCount,
			boolean truncatedTail) {

		public String displayName() {
			return new RecordedSession(file, header, List.of(), name, truncatedTail).displayName();
		}
	}

	private static Object read(Path file, boolean keepCommands) throws SessionFileException {
		int commandCount = 0;
		int recommendationCount = 0;
		SessionEntry header = null;
		List<SessionEntry> commands = new ArrayList<>();
		String name = null;
		boolean truncated = false;
		boolean blank = true;
		// line by line from a bounded stream: a huge or endless file is refused, never held whole
		try (Reader reader = new BufferedReader(new InputStreamReader(InputFiles.open(file, "session file"),
				StandardCharsets.UTF_8.newDecoder()))) {
			StringBuilder line = new StringBuilder();
			for (int number = 1;; number++) {
				int c;
				while ((c = reader.read()) != -1 && c != '\n') {
					line.append((char) c);
				}
				boolean endsClean = c == '\n';
				if (!endsClean && line.isEmpty()) {
					break;
				}
				blank &= line.toString().isBlank();
				if (blank) {
					line.setLength(0); // only blank so far: reported as empty below
					if (!endsClean) {
						break;
					}
					continue;
				}
				SessionEntry entry;
				try {
					entry = SessionJournal.LINE_MAPPER.readValue(line.toString(), SessionEntry.class);
				}
				catch (JsonProcessingException e) {
					if (!endsClean) {
						truncated = true; // the command in flight when the process died
						break;
					}
					throw new SessionFileException("session file " + file + " is corrupt at line " + number
							+ ": not a JSON session entry");
				}
				line.setLength(0);
				if (header == null) {
					if (!"header".equals(entry.type()) || entry.format() == null) {
						throw new SessionFileException("session file " + file + " has no session header (not a virtwise session?)");
					}
					if (entry.format() > SessionEntry.FORMAT) {
						throw new SessionFileException("session file " + file + " uses session format " + entry.format()
								+ ", newer than this virtwise (" + SessionEntry.FORMAT + "); upgrade virtwise to read it");
					}
					header = entry;
				}
				else if ("command".equals(entry.type())) {
					commandCount++;
					if (entry.recommendations() != null) {
						recommendationCount = entry.recommendations().size();
					}
					if (keepCommands) {
						commands.add(redacted(entry, file, number));
					}
				}
				else if ("name".equals(entry.type())) {
					name = entry.name();
				}
				if (!endsClean) {
					break;
				}
			}
		}
		catch (NoSuchFileException e) {
			throw new SessionFileException("session file " + file + " does not exist");
		}
		catch (CharacterCodingException e) {
			throw new SessionFileException("session file " + file + " is not UTF-8 text", e);
		}
		catch (InputFiles.InputFileException e) {
			throw new SessionFileException(e.getMessage(), e);
		}
		catch (IOException e) {
			throw new SessionFileException("cannot read session file " + file + ": " + e.getMessage(), e);
		}
		if (blank) {
			throw new SessionFileException("session file " + file + " is empty");
		}
		if (header == null) {
			throw new SessionFileException("session file " + file + " has no complete header line");
		}
		return keepCommands ? new RecordedSession(file, header, List.copyOf(commands), name, truncated)
				: new Summary(file, header, name, commandCount, recommendationCount, truncated);
	}

	/**
	 * A command entry as read back, redacted again as a facts file is: the file may come from an
	 * older build, or have been edited or shared, so its line, output, facts and recommendations
	 * pass the one redactor before anything shows or replays them.
	 */
	static SessionEntry redacted(SessionEntry e, Path file, int number) throws SessionFileException {
		Facts facts = e.facts();
		if (facts != null) {
			try {
				facts = FactsJson.parse(FactsJson.MAPPER.valueToTree(facts), "facts at line " + number + " of session file " + file);
			}
			catch (FactsFileException ex) {
				throw new SessionFileException(ex.getMessage(), ex);
			}
		}
		List<String> recommendations = e.recommendations() == null ? null
				: e.recommendations().stream().map(Redactor::redact).toList();
		return new SessionEntry(e.type(), e.format(), e.tool(), e.rulesHash(), e.host(), e.at(), e.seq(),
				Redactor.redact(e.line()), e.exit(), e.millis(), Redactor.redact(e.output()), facts, recommendations, e.name());
	}

	/**
	 * Every session file as a {@link Summary} (a folder of large sessions never sits in memory at
	 * once); the unreadable ones are returned as problems, never hiding the rest.
	 */
	public Listing list() throws IOException {
		List<Summary> sessions = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		if (!Files.isDirectory(folder)) {
			return new Listing(sessions, problems);
		}
		try (Stream<Path> files = Files.list(folder)) {
			for (Path file : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
				try {
					sessions.add(summarize(inside(file)));
				}
				catch (SessionFileException e) {
					problems.add(e.getMessage());
				}
			}
		}
		sessions.sort(Comparator.comparing((Summary s) -> s.header().at() == null ? "" : s.header().at()));
		return new Listing(sessions, problems);
	}

	public record Listing(List<Summary> sessions, List<String> problems) {
	}

	/**
	 * Finds a session by its saved name, its file stem, or a path to its file. A name is looked up
	 * inside the folder only: separators and dot-names are refused, and so is a file there that
	 * resolves elsewhere (a symbolic link out of the folder).
	 */
	public RecordedSession find(String nameOrFile) throws SessionFileException, IOException {
		if (nameOrFile.endsWith(SUFFIX) && !nameOrFile.contains("\0") && Files.exists(Path.of(nameOrFile))) {
			return load(Path.of(nameOrFile)); // a file the user names, as with 'facts import FILE'
		}
		if (!isPlainName(nameOrFile)) {
			throw new IllegalArgumentException("'" + nameOrFile + "' is not a session name (no '/', '\\' or leading '.'; "
					+ "a path to a session file ends in " + SUFFIX + ")");
		}
		// the file stem first: the folder is read only for a saved name, and then one summary at a time
		Path direct = folder.resolve(nameOrFile + SUFFIX);
		if (Files.exists(direct)) {
			return load(inside(direct));
		}
		for (Summary s : list().sessions()) {
			if (nameOrFile.equals(s.name())) {
				return load(inside(s.file()));
			}
		}
		throw new SessionFileException("no session named '" + nameOrFile + "' in " + folder
				+ " (session list shows them)");
	}

	/** A file of the folder, refused when it resolves elsewhere (a symbolic link out of the folder). */
	private Path inside(Path file) throws SessionFileException {
		try {
			if (!file.toRealPath().startsWith(folder.toRealPath())) {
				throw new SessionFileException("session file " + file + " leads out of " + folder + "; not read");
			}
		}
		catch (IOException e) {
			// gone or unreadable: load says which
		}
		return file;
	}

	static boolean isPlainName(String name) {
		return !name.isEmpty() && !name.startsWith(".") && name.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20);
	}
}
