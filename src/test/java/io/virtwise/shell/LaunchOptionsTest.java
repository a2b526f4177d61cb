package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

	@Test
	void libvirtIsAGlobalOptionBeforeOrAfterTheCommand() {
		LaunchOptions before = LaunchOptions.parse(new String[] {"--libvirt", "qemu+ssh://root@lab/system", "kvm", "ls"});
		assertThat(before.libvirtUri()).isEqualTo("qemu+ssh://root@lab/system");
		assertThat(before.commandWords()).containsExactly("kvm", "ls");
		assertThat(LaunchOptions.parse(new String[] {"--libvirt=test:///default"}).libvirtUri()).isEqualTo("test:///default");
		LaunchOptions after = LaunchOptions.parse(new String[] {"fix", "rollback", "web", "--libvirt", "qemu:///session"});
		assertThat(after.libvirtUri()).isEqualTo("qemu:///session");
		assertThat(after.commandWords()).containsExactly("fix", "rollback", "web");
		LaunchOptions both = LaunchOptions.parse(new String[] {"--docker", "unix:///d.sock", "kvm", "stats", "g", "--libvirt=test:///default"});
		assertThat(both.dockerHost()).isEqualTo("unix:///d.sock");
		assertThat(both.libvirtUri()).isEqualTo("test:///default");
		assertThat(both.commandWords()).containsExactly("kvm", "stats", "g");
		assertThat(LaunchOptions.parse(new String[] {"--libvirt="}).libvirtUri()).isNull();
	}

	@Test
	void withoutLibvirtItIsFoundTheUsualWayAndACommandsOwnOptionWins() {
		assertThat(LaunchOptions.parse(new String[] {"kvm", "ls"}).libvirtUri()).isNull();
		assertThat(new LaunchOptions(Path.of("."), Path.of("rules"), false, true, List.of(), null).libvirtUri()).isNull();
		LibvirtUri none = new LibvirtUri(null);
		assertThat(none.choose(null)).as("null: LIBVIRT_DEFAULT_URI, else qemu:///system").isNull();
		assertThat(none.choose("test:///default")).isEqualTo("test:///default");
		LibvirtUri launched = new LibvirtUri("qemu+tcp://127.0.0.1/system");
		assertThat(launched.choose(null)).isEqualTo("qemu+tcp://127.0.0.1/system");
		assertThat(launched.choose(" ")).isEqualTo("qemu+tcp://127.0.0.1/system");
		assertThat(launched.choose("test:///default")).isEqualTo("test:///default");
		assertThat(new LibvirtUri(" ").launchUri()).isNull();
	}

	@Test
	void aSingleCommandIsNeitherTheShellNorAScript() {
		assertThat(new LaunchOptions(Path.of("."), Path.of("rules"), false, true, List.of("host")).singleCommand()).isTrue();
		assertThat(new LaunchOptions(Path.of("."), Path.of("rules"), false, true, List.of("@run.vw")).singleCommand()).isFalse();
		assertThat(new LaunchOptions(Path.of("."), Path.of("rules"), false, true, List.of("script", "run.vw")).singleCommand())
			.isFalse();
		assertThat(new LaunchOptions(Path.of("."), Path.of("rules"), false, true, List.of()).singleCommand()).isFalse();
	}

	@Test
	void sessionsIsAGlobalOptionBeforeTheCommand(@TempDir Path dir) {
		LaunchOptions spaced = LaunchOptions.parse(new String[] {"--sessions", dir.toString(), "session", "list"});
		assertThat(spaced.sessionsDir()).isEqualTo(dir);
		assertThat(spaced.commandWords()).containsExactly("session", "list");
		assertThat(LaunchOptions.parse(new String[] {"--sessions=" + dir}).sessionsDir()).isEqualTo(dir);
		assertThat(LaunchOptions.parse(new String[] {"session", "list"}).sessionsDir()).isNull();
	}

	@Test
	void theSessionsFolderIsFlagThenPropertyThenEnvironmentThenCheckoutThenUserDirectory(@TempDir Path temp) throws IOException {
		Path user = temp.resolve("user/.virtwise");
		Path checkout = Files.createDirectories(temp.resolve("checkout"));
		Files.writeString(checkout.resolve("pom.xml"), "<project/>");
		Files.writeString(checkout.resolve("virtwise"), "#!/bin/sh");
		Path installed = Files.createDirectories(temp.resolve("opt/virtwise"));
		Path flag = temp.resolve("flag");

		LaunchOptions fromCheckout = new LaunchOptions(checkout, checkout.resolve("rules"), false, true, List.of());
		LaunchOptions fromInstall = new LaunchOptions(installed, installed.resolve("rules"), false, true, List.of());
		LaunchOptions withFlag = new LaunchOptions(installed, installed.resolve("rules"), false, true, List.of(), null, null, flag);

		assertThat(withFlag.sessionsFolder("/p", "/e", user)).isEqualTo(flag);
		assertThat(fromInstall.sessionsFolder("/p", "/e", user)).isEqualTo(Path.of("/p"));
		assertThat(fromInstall.sessionsFolder(" ", "/e", user)).isEqualTo(Path.of("/e"));
		assertThat(fromCheckout.sessionsFolder(null, "", user)).isEqualTo(checkout.resolve("sessions"));
		// an installed jar, or one started from any other folder, keeps a user's sessions in their own directory
		assertThat(fromInstall.sessionsFolder(null, null, user)).isEqualTo(user.resolve("sessions"));
		assertThat(Files.exists(installed.resolve("sessions"))).isFalse();
	}
}
