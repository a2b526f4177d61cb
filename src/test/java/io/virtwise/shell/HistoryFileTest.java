package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prompt's history as the interactive shell keeps it: owner-only, redacted lines only. */
class HistoryFileTest {

	@TempDir
	Path home;

	@Test
	void typedCredentialsAreKeptRedactedInAnOwnerOnlyFile() throws Exception {
		Path dir = home.resolve(".virtwise");
		Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
		Path file = dir.resolve("history");
		// what an older version left: readable by all, a password in it
		Files.writeString(file, "1733600000000:kvm ls --libvirt qemu+tcp://admin:0ldPW@h/system\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

		// open until the line is read: at the end of its input the terminal would drop what it had not read yet
		PipedOutputStream keyboard = new PipedOutputStream();
		PipedInputStream input = new PipedInputStream(keyboard, 1 << 16);
		keyboard.write("kvm node --libvirt qemu+tcp://admin:N3wPW@h/system\n".getBytes(StandardCharsets.UTF_8));
		try (keyboard; Terminal terminal = TerminalBuilder.builder().system(false).type("dumb").size(new Size(160, 50))
			.streams(input, new ByteArrayOutputStream()).build()) {
			LineReader reader = LineReaderBuilder.builder().terminal(terminal).history(HistoryFile.guarded())
				.variable(LineReader.HISTORY_FILE, file).build();
			HistoryFile.secure(reader);
			String line = reader.readLine("> ");
			// the command itself still gets the line as typed
			assertThat(line).contains("N3wPW");
			reader.getHistory().save();
			assertThat(reader.getHistory().get(reader.getHistory().last())).doesNotContain("N3wPW");
		}
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
		assertThat(Files.readString(file)).contains("kvm node --libvirt qemu+tcp://admin:<redacted>@h/system")
			.doesNotContain("0ldPW", "N3wPW");
	}

	@Test
	void aNewHistoryFileIsCreatedOwnerOnly() throws Exception {
		Path file = home.resolve("fresh/history");
		try (Terminal terminal = TerminalBuilder.builder().system(false).type("dumb")
			.streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).build()) {
			HistoryFile.secure(LineReaderBuilder.builder().terminal(terminal).variable(LineReader.HISTORY_FILE, file).build());
		}
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}
}
