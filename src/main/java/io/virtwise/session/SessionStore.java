package io.virtwise.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;

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
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		}
		catch (NoSuchFileException e) {
			throw new SessionFileException("session file " + file + " does not exist");
		}
		catch (IOException e) {
			throw new SessionFileException("cannot read session file " + file + ": " + e.getMessage(), e);
		}
		String text = new String(bytes, StandardCharsets.UTF_8);
		if (text.isBlank()) {
			throw new SessionFileException("session file " + file + " is empty");
		}
		String[] lines = text.split("\n", -1);
		boolean endsClean = text.endsWith("\n");
		SessionEntry header = null;
		List<SessionEntry> commands = new ArrayList<>();
		String name = null;
		boolean truncated = false;
		int count = endsClean ? lines.length - 1 : lines.length;
		for (int i = 0; i < count; i++) {
			SessionEntry entry;
			try {
				entry = SessionJournal.LINE_MAPPER.readValue(lines[i], SessionEntry.class);
			}
			catch (JsonProcessingException e) {
				if (i == count - 1 && !endsClean) {
					truncated = true; // the command in flight when the process died
					break;
				}
				throw new SessionFileException("session file " + file + " is corrupt at line " + (i + 1)
						+ ": not a JSON session entry");
			}
			if (i == 0) {
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
				commands.add(entry);
			}
			else if ("name".equals(entry.type())) {
				name = entry.name();
			}
		}
		if (header == null) {
			throw new SessionFileException("session file " + file + " has no complete header line");
		}
		return new RecordedSession(file, header, List.copyOf(commands), name, truncated);
	}

	/** Every session file; the unreadable ones are returned as problems, never hiding the rest. */
	public Listing list() throws IOException {
		List<RecordedSession> sessions = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		if (!Files.isDirectory(folder)) {
			return new Listing(sessions, problems);
		}
		try (Stream<Path> files = Files.list(folder)) {
			for (Path file : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
				try {
					sessions.add(load(file));
				}
				catch (SessionFileException e) {
					problems.add(e.getMessage());
				}
			}
		}
		sessions.sort(Comparator.comparing((RecordedSession s) -> s.header().at() == null ? "" : s.header().at()));
		return new Listing(sessions, problems);
	}

	public record Listing(List<RecordedSession> sessions, List<String> problems) {
	}

	/** Finds a session by its saved name, its file stem, or a path to its file. */
	public RecordedSession find(String nameOrFile) throws SessionFileException, IOException {
		Path asPath = Path.of(nameOrFile);
		if (nameOrFile.endsWith(SUFFIX) && Files.exists(asPath)) {
			return load(asPath);
		}
		Path direct = folder.resolve(nameOrFile + SUFFIX);
		Listing listing = list();
		for (RecordedSession s : listing.sessions()) {
			if (nameOrFile.equals(s.name())) {
				return s;
			}
		}
		if (Files.exists(direct)) {
			return load(direct);
		}
		throw new SessionFileException("no session named '" + nameOrFile + "' in " + folder
				+ " (session list shows them)");
	}
}
