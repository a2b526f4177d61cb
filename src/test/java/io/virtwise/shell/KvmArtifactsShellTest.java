package io.virtwise.shell;

import io.virtwise.shell.view.Styler;
import io.virtwise.session.SessionRecorder;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.virtwise.session.RecordedSession;
import io.virtwise.session.SessionStore;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.shell.test.autoconfigure.ShellTest;
import org.springframework.util.FileSystemUtils;

/**
 * Saved libvirt XML with secrets in every place a domain can hold them, imported and advised on
 * in the interactive shell as a user types it, with the session recorded under this test's own
 * home: no secret reaches the advice, the exported facts or the session file.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class KvmArtifactsShellTest {

	static final String KVM = "src/test/resources/fixtures/kvm/";

	static final Path HOME = temporaryHome();

	static Path temporaryHome() {
		try {
			return Files.createTempDirectory("vw-shell-home");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@TestConfiguration
	static class Options {
		@Bean
		@Primary
		LaunchOptions privateHomeLaunchOptions() {
			return new LaunchOptions(HOME, Path.of("rules").toAbsolutePath(), false, true, List.of(), null, null,
					HOME.resolve("sessions"));
		}
	}

	@AfterAll
	static void removeHome() {
		FileSystemUtils.deleteRecursively(HOME.toFile());
	}

	@Autowired
	CommandRunner runner;

	@Autowired
	Styler styler;

	@Autowired
	SessionRecorder recorder;

	@Autowired
	CommandOutcome outcome;

	/** Types {@code lines} into the interactive shell (a dumb terminal) and returns what it showed. */
	String type(String... lines) throws IOException {
		ByteArrayOutputStream shown = new ByteArrayOutputStream();
		// open until the shell is done: at the end of its input the terminal would drop what it had not read yet
		PipedOutputStream keyboard = new PipedOutputStream();
		PipedInputStream input = new PipedInputStream(keyboard, 1 << 16);
		keyboard.write((String.join("\n", lines) + "\nexit\n").getBytes(StandardCharsets.UTF_8));
		try (Terminal terminal = TerminalBuilder.builder().system(false).type("dumb").size(new Size(160, 50))
			.streams(input, shown).build()) {
			LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
			new InteractiveShell(reader, runner, styler, "test", recorder, outcome).run();
		}
		finally {
			keyboard.close();
		}
		return shown.toString(StandardCharsets.UTF_8);
	}

	@Test
	void secretsOfImportedDomainXmlReachNeitherAdviceNorExportNorTheSavedSession() throws Exception {
		Path exported = HOME.resolve("facts.json");
		String shown = type("facts import " + KVM + "secrets-domain.xml " + KVM + "capabilities.xml",
				"advise --format json", "facts export " + exported, "session save with-secrets");

		assertThat(shown).contains("virsh dumpxml, guest vw-secrets", "\"factsFrom\"", "with-secrets")
			.doesNotContain("virtwise: ");
		assertThat(shown).doesNotContain("HUNTER2");
		assertThat(Files.readString(exported)).contains("vw-secrets", "MY_PASSWORD").doesNotContain("HUNTER2");

		RecordedSession saved = new SessionStore(HOME.resolve("sessions")).find("with-secrets");
		assertThat(saved.file()).startsWith(HOME.resolve("sessions"));
		assertThat(saved.commands()).hasSize(4);
		// the advise entry keeps the facts it used, with the guest, for replay
		assertThat(saved.commands().get(1).facts().guests()).singleElement()
			.satisfies(g -> assertThat(g.domainXml()).contains("<qemu:env name='MY_PASSWORD' value='(redacted)'/>"));
		assertThat(Files.readString(saved.file())).contains("vw-secrets").doesNotContain("HUNTER2");
	}
}
