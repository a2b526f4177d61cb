package io.virtwise.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import io.virtwise.redact.Redactor;
import org.jline.reader.LineReader;
import org.jline.reader.History;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The prompt's history file: owner-only (0600, its folder 0700) and holding redacted lines only,
 * since a typed {@code --libvirt qemu+tcp://admin:PW@host/system} would otherwise stay on disk.
 */
final class HistoryFile {

	private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
	private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

	/**
	 * JLine's history keeping each line in its redacted form; the command still gets the line as
	 * typed. (Not a masking callback: with one, a dumb terminal redraws the prompt for every key.)
	 */
	static History redacting() {
		return new DefaultHistory() {
			@Override
			public void add(Instant time, String line) {
				super.add(time, Redactor.redact(line));
			}
		};
	}

	private HistoryFile() {
	}

	/**
	 * Makes the reader's history file owner-only, creating it so that JLine never creates it with
	 * the umask's mode, and redacts what older versions left in it.
	 */
	static void secure(LineReader reader) {
		Object variable = reader.getVariable(LineReader.HISTORY_FILE);
		if (variable == null) {
			return;
		}
		Path file = (variable instanceof Path path ? path : Path.of(variable.toString())).toAbsolutePath();
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
