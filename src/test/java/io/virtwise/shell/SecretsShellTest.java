package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.shell.test.autoconfigure.ShellTest;

/** Secrets that reached the screen, an export or an error line through the shell (issue 18). */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class SecretsShellTest {

	@TestConfiguration
	static class Options {
		@Bean
		@Primary
		LaunchOptions testLaunchOptions() {
			return new LaunchOptions(Path.of(".").toAbsolutePath(), Path.of("rules").toAbsolutePath(), false, true, List.of());
		}
	}

	@Autowired
	CommandRunner runner;

	@TempDir
	Path temp;

	/** The untuned Docker fixture with a run command and a label edited to hold secrets, as a hostile file would. */
	private Path editedFactsFile() throws Exception {
		String text = Files.readString(Path.of("src/test/resources/facts/docker-untuned.json"))
			.replace("myorg/api:1.4\"}", "myorg/api:1.4 --password Xedited9 --db-pass Yedited9\", \"labels\" : "
					+ "{\"com.example.cfg\" : \"{\\\"password\\\":\\\"Zedited9\\\"}\"}}")
			.replace("\"labels\" : {}, \"runCommand\" : \"docker run -d --name api ", "\"runCommand\" : \"docker run -d --name api ");
		Path file = temp.resolve("edited.json");
		Files.writeString(file, text);
		return file;
	}

	@Test
	void aFactsFileIsRedactedAgainWhenItIsRead() throws Exception {
		Facts facts = FactsJson.read(editedFactsFile());
		assertThat(FactsJson.write(facts)).contains("--password <redacted>").doesNotContain("Xedited9", "Yedited9", "Zedited9");
	}

	@Test
	void adviseOnAnEditedFactsFilePrintsNoSecret() throws Exception {
		ShellRun run = ShellRun.of(runner, "advise --facts " + editedFactsFile());
		assertThat(run.code()).isIn(ExitCodes.OK, ExitCodes.FINDINGS);
		assertThat(run.out() + run.err()).doesNotContain("Xedited9", "Yedited9", "Zedited9");
		ShellRun json = ShellRun.of(runner, "advise --facts " + editedFactsFile() + " --format json");
		assertThat(json.out()).doesNotContain("Xedited9", "Yedited9", "Zedited9");
	}

	@Test
	void anExportHoldsNoSecretEither() throws Exception {
		ShellRun imported = ShellRun.of(runner, "facts import " + editedFactsFile());
		Path export = temp.resolve("export.json");
		ShellRun exported = ShellRun.of(runner, "facts export " + export);
		assertThat(imported.code()).isZero();
		assertThat(exported.code()).as(exported.err()).isZero();
		assertThat(Files.readString(export)).doesNotContain("Xedited9", "Yedited9", "Zedited9");
	}

	@Test
	void uriCredentialsNeverReachAnErrorLine() {
		ShellRun kvm = ShellRun.of(runner, "kvm node --libvirt qemu+tcp://admin:Libv1rtPW@127.0.0.1:1/system");
		assertThat(kvm.code()).isNotZero();
		assertThat(kvm.err()).contains("virtwise:").doesNotContain("Libv1rtPW");
		ShellRun malformed = ShellRun.of(runner, "kvm node --libvirt 'qemu+tcp://admin:Malf0rmedPW@[x/system'");
		assertThat(malformed.err()).doesNotContain("Malf0rmedPW");
		ShellRun docker = ShellRun.of(runner, "docker ls --docker tcp://u:D0ckerPW@127.0.0.1:1");
		assertThat(docker.err()).doesNotContain("D0ckerPW");
	}
}
