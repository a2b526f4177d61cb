package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

	@Test
	void dockerIsAGlobalOptionBeforeOrAfterTheCommand() {
		assertThat(LaunchOptions.parse(new String[] {"--docker", "tcp://127.0.0.1:2375", "docker", "ls"}))
			.satisfies(o -> {
				assertThat(o.dockerHost()).isEqualTo("tcp://127.0.0.1:2375");
				assertThat(o.commandWords()).containsExactly("docker", "ls");
			});
		assertThat(LaunchOptions.parse(new String[] {"--docker=unix:///run/d.sock"}).dockerHost()).isEqualTo("unix:///run/d.sock");
		LaunchOptions after = LaunchOptions.parse(new String[] {"docker", "show", "web", "--docker", "unix:///x.sock"});
		assertThat(after.dockerHost()).isEqualTo("unix:///x.sock");
		assertThat(after.commandWords()).containsExactly("docker", "show", "web");
		assertThat(LaunchOptions.parse(new String[] {"docker", "ls", "--docker=unix:///y.sock"}).commandWords())
			.containsExactly("docker", "ls");
	}

	@Test
	void withoutDockerTheEngineIsFoundTheUsualWay() {
		assertThat(LaunchOptions.parse(new String[] {"advise"}).dockerHost()).isNull();
		assertThat(LaunchOptions.parse(new String[] {"--docker", "unix:///x.sock"}).interactive()).isTrue();
		LaunchOptions old = new LaunchOptions(Path.of("."), Path.of("rules"), false, true, List.of("host"));
		assertThat(old.dockerHost()).isNull();
	}
}
