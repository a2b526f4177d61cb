package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RuleCacheDirectoryTest {

	@Test
	void virtwiseHomeThenHomeThenJavasUserHome() {
		assertThat(RuleCacheDirectory.of(Map.of("VIRTWISE_HOME", "/srv/vw", "HOME", "/home/a"), "/root"))
			.isEqualTo(Path.of("/srv/vw/cache/rules"));
		assertThat(RuleCacheDirectory.of(Map.of("HOME", "/home/a"), "/root")).isEqualTo(Path.of("/home/a/.virtwise/cache/rules"));
		assertThat(RuleCacheDirectory.of(Map.of("HOME", " "), "/root")).isEqualTo(Path.of("/root/.virtwise/cache/rules"));
	}
}
