package io.virtwise.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import io.virtwise.redact.Redactor;
import org.jline.reader.LineReader;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The prompt's history file: owner-only (0600, its folder 0700) and holding redacted lines only,
 * since a typed {@code --libvirt qemu+tcp://admin:PW@host/system} would otherwise stay on disk.
 */
final class HistoryFile {

	private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
	private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

	/** Far more than JLine keeps (its history-file-size, 10,000 lines by default); past it the file is not a history. */
	static final long MAX_BYTES = 4L << 20;

	private HistoryFile() {
	}

	/**
	 * JLine's history, which first checks the file it is about to load: one that is not a regular
	 * file (a FIFO would block the start for good), is over {@link #MAX_BYTES} or is not UTF-8 is
	 * set aside with one line on stderr, and the shell starts with an empty history. Each line is
	 * kept in its redacted form; the command still gets it as typed. (Not a masking callback: with
	 * one, a dumb terminal redraws the prompt for every key.)
	 */
	static DefaultHistory guarded() {
		return guarded(MAX_BYTES, System.err);
	}

	static DefaultHistory guarded(long maxBytes, PrintStream err) {
		return new DefaultHistory() {
			private LineReader attached;

			@Override
			public void attach(LineReader reader) {
				attached = reader;
				super.attach(reader);
			}

			@Override
			public void add(Instant time, String line) {
				super.add(time, Redactor.redact(line));
			}

			@Override
			public void load() throws IOException {
				if (attached != null && !admit(attached, maxBytes, err)) {
					return;
				}
				super.load();
			}
		};
	}

	/**
	 * Whether the reader's history file may be read: absent, or a regular UTF-8 file within
	 * {@code maxBytes}. Otherwise it is renamed to {@code NAME.bad} (or, if that fails, the reader
	 * keeps no history file) and one line says so on {@code err}.
	 */
	static boolean admit(LineReader reader, long maxBytes, PrintStream err) {
		Path file = historyPath(reader);
		if (file == null || !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
			return true;
		}
		String problem = problem(file, maxBytes);
		if (problem == null) {
			return true;
		}
		Path aside = file.resolveSibling(file.getFileName() + ".bad");
		try {
			Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
			err.println("virtwise: history file " + file + " " + problem + "; set aside as " + aside
					+ ", starting with an empty history");
		}
		catch (IOException | RuntimeException e) {
			reader.setVariable(LineReader.HISTORY_FILE, null);
			err.println("virtwise: history file " + file + " " + problem + "; history is not kept this session");
		}
		return false;
	}

	private static Path historyPath(LineReader reader) {
		Object variable = reader.getVariable(LineReader.HISTORY_FILE);
		if (variable == null) {
			return null;
		}
		return (variable instanceof Path path ? path : Path.of(variable.toString())).toAbsolutePath();
	}

	/** What is wrong with the file, or {@code null}; never opens anything but a regular file. */
	private static String problem(Path file, long maxBytes) {
		if (!Files.isRegularFile(file)) {
			return "is not a regular file";
		}
		try {
			if (Files.size(file) > maxBytes) {
				return "is larger than " + maxBytes + " bytes";
			}
			byte[] bytes;
			try (InputStream in = Files.newInputStream(file)) {
				bytes = in.readNBytes((int) maxBytes + 1);
			}
			if (bytes.length > maxBytes) {
				return "is larger than " + maxBytes + " bytes";
			}
			StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
			return null;
		}
		catch (CharacterCodingException e) {
			return "is not UTF-8 text";
		}
		catch (IOException e) {
			return "cannot be read (" + e.getMessage() + ")";
		}
	}

	/**
	 * Makes the reader's history file owner-only, creating it so that JLine never creates it with
	 * the umask's mode, and redacts what older versions left in it.
	 */
	static void secure(LineReader reader) {
		if (!admit(reader, MAX_BYTES, System.err)) {
			return;
		}
		Path file = historyPath(reader);
		if (file == null) {
			return;
		}
		try {
			Path dir = file.getParent();
			if (dir != null && !dir.equals(Path.of(System.getProperty("user.home")).toAbsolutePath())) {
				Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
				Files.setPosixFilePermissions(dir, OWNER_DIR);
			}
			if (Files.notExists(file)) {
				Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
			}
			Files.setPosixFilePermissions(file, OWNER_FILE);
			List<String> lines = Files.readAllLines(file);
			List<String> redacted = lines.stream().map(Redactor::redact).toList();
			if (!redacted.equals(lines)) {
				Files.write(file, redacted);
				reader.getHistory().load();
			}
		}
		catch (IOException | UnsupportedOperationException e) {
			System.err.println("virtwise: history file " + file + " could not be made private: " + e.getMessage());
		}
	}
}
