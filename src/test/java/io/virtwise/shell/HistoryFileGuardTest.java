package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A history file JLine cannot load never stops the shell from starting: it is set aside with one line. */
class HistoryFileGuardTest {

	@TempDir
	Path home;

	private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
	private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

	/** As Spring Shell's lineReader bean does it: build, name the file, attach the history (which loads it). */
	private String startAndReadALine(Path file, long maxBytes) throws Exception {
		PipedOutputStream keyboard = new PipedOutputStream();
		PipedInputStream input = new PipedInputStream(keyboard, 1 << 16);
		keyboard.write("host show\n".getBytes(StandardCharsets.UTF_8));
		try (keyboard; Terminal terminal = TerminalBuilder.builder().system(false).type("dumb").size(new Size(160, 50))
			.streams(input, new ByteArrayOutputStream()).build()) {
			History history = HistoryFile.guarded(maxBytes, err);
			LineReader reader = LineReaderBuilder.builder().terminal(terminal).history(history).build();
			reader.setVariable(LineReader.HISTORY_FILE, file);
			history.attach(reader);
			String line = reader.readLine("> ");
			history.save();
			return line;
		}
	}

	private String errLines() {
		return errBytes.toString(StandardCharsets.UTF_8);
	}

	@Test
	void aHistoryFileThatIsNotUtf8IsSetAside() throws Exception {
		Path file = home.resolve("history");
		Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
		assertThat(startAndReadALine(file, HistoryFile.MAX_BYTES)).isEqualTo("host show");
		assertThat(errLines()).contains("is not UTF-8 text", "set aside as " + file + ".bad").hasLineCount(1);
		assertThat(Files.readAllBytes(home.resolve("history.bad"))).hasSize(3);
		assertThat(Files.readString(file)).contains("host show");
	}

	@Test
	void aFifoAtTheHistoryPathDoesNotHangTheStart() throws Exception {
		Path file = home.resolve("history");
		assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();
		String line = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> startAndReadALine(file, HistoryFile.MAX_BYTES));
		assertThat(line).isEqualTo("host show");
		assertThat(errLines()).contains("is not a regular file").hasLineCount(1);
		assertThat(Files.isRegularFile(file)).isTrue();
	}

	@Test
	void aDirectoryAtTheHistoryPathIsSetAside() throws Exception {
		Path file = home.resolve("history");
		Files.createDirectories(file.resolve("inside"));
		assertThat(startAndReadALine(file, HistoryFile.MAX_BYTES)).isEqualTo("host show");
		assertThat(errLines()).contains("is not a regular file").hasLineCount(1);
		assertThat(Files.isDirectory(home.resolve("history.bad/inside"))).isTrue();
	}

	@Test
	void aHistoryFileOverTheBoundIsSetAside() throws Exception {
		Path file = home.resolve("history");
		Files.writeString(file, "1733600000000:host show\n".repeat(100));
		assertThat(startAndReadALine(file, 1000)).isEqualTo("host show");
		assertThat(errLines()).contains("is larger than 1000 bytes").hasLineCount(1);
	}

	@Test
	void aGoodHistoryFileIsLoadedSilently() throws Exception {
		Path file = home.resolve("history");
		Files.writeString(file, "1733600000000:kvm ls\n");
		startAndReadALine(file, HistoryFile.MAX_BYTES);
		assertThat(errLines()).isEmpty();
		assertThat(Files.readString(file)).contains("kvm ls", "host show");
	}

	@Test
	void whenTheFileCannotBeSetAsideNoHistoryFileIsKept() throws Exception {
		Path dir = home.resolve("locked");
		Files.createDirectories(dir);
		Path file = dir.resolve("history");
		Files.write(file, new byte[] {(byte) 0xff});
		dir.toFile().setWritable(false);
		try {
			assertThat(startAndReadALine(file, HistoryFile.MAX_BYTES)).isEqualTo("host show");
		}
		finally {
			dir.toFile().setWritable(true);
		}
		if (Files.exists(dir.resolve("history.bad"))) {
			return; // running as root: the rename went through
		}
		assertThat(errLines()).contains("history is not kept this session").hasLineCount(1);
		assertThat(Files.readAllBytes(file)).containsExactly((byte) 0xff);
	}
}
