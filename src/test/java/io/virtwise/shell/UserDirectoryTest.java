package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class UserDirectoryTest {

	@Test
	void homeFromTheEnvironmentWinsOverJavasUserHome() {
		assertThat(UserDirectory.of(Map.of("HOME", "/home/other"), "/home/passwd")).isEqualTo(Path.of("/home/other/.virtwise"));
	}

	@Test
	void virtwiseHomeNamesTheWholeDirectory() {
		assertThat(UserDirectory.of(Map.of("HOME", "/home/other", "VIRTWISE_HOME", "/srv/vw/"), "/home/passwd"))
			.isEqualTo(Path.of("/srv/vw"));
		assertThat(UserDirectory.of(Map.of("VIRTWISE_HOME", "rel/dir"), "/home/passwd"))
			.isEqualTo(Path.of("rel/dir").toAbsolutePath());
	}

	@Test
	void javasUserHomeOnlyWhenNeitherIsSet() {
		assertThat(UserDirectory.of(Map.of(), "/home/passwd")).isEqualTo(Path.of("/home/passwd/.virtwise"));
		assertThat(UserDirectory.of(Map.of("HOME", " ", "VIRTWISE_HOME", ""), "/home/passwd")).isEqualTo(Path.of("/home/passwd/.virtwise"));
	}

	@Test
	void backupsAndTheShellHistoryLiveThere() throws Exception {
		assertThat(UserDirectory.backups()).isEqualTo(UserDirectory.current().resolve("backups"));
		assertThat(UserDirectory.ruleCache()).isEqualTo(UserDirectory.current().resolve("cache/rules"));
		java.util.Properties properties = new java.util.Properties();
		try (var in = getClass().getResourceAsStream("/application.properties")) {
			properties.load(in);
		}
		assertThat(properties.getProperty("spring.shell.config.location")).startsWith("${virtwise.user-dir:");
	}
}
