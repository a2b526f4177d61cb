package io.virtwise.docker.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Made-up process trees: dockerd's command line and daemon.json decide, else Docker's defaults. */
class DaemonSettingsTest {

	static final String SOCKET = "/var/run/docker.sock";

	@TempDir
	Path root;

	Path proc() {
		return root.resolve("proc");
	}

	Path config() {
		return root.resolve("daemon.json");
	}

	void process(int pid, String... argv) throws IOException {
		Path dir = proc().resolve(Integer.toString(pid));
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("cmdline"), String.join("\0", argv) + "\0");
	}

	DaemonSettings read() {
		return DaemonSettings.read(proc(), config(), SOCKET);
	}

	@Test
	void aPlainDockerdHasDockersDefaults() throws IOException {
		process(1, "/sbin/init");
		process(812, "dockerd", "--host", "unix:///var/run/docker.sock");
		assertThat(read()).isEqualTo(new DaemonSettings(true, true));
	}

	@Test
	void theCommandLineTurnsTheProxyOff() throws IOException {
		process(812, "/usr/bin/dockerd", "-H", "fd://", "--userland-proxy=false", "--iptables=true");
		assertThat(read()).isEqualTo(new DaemonSettings(false, true));
	}

	@Test
	void daemonJsonTurnsThemOffAndFlagsWin() throws IOException {
		Files.writeString(config(), "{ \"userland-proxy\": false, \"iptables\": false }");
		process(812, "dockerd");
		assertThat(read()).isEqualTo(new DaemonSettings(false, false));
		process(812, "dockerd", "--userland-proxy");
		assertThat(read()).isEqualTo(new DaemonSettings(true, false));
	}

	@Test
	void aConfigFileNamedOnTheCommandLineIsTheOneRead() throws IOException {
		Path other = root.resolve("other.json");
		Files.writeString(other, "{\"userland-proxy\": false}");
		Files.writeString(config(), "{\"userland-proxy\": true}");
		process(812, "dockerd", "--config-file=" + other);
		assertThat(read().userlandProxy()).isFalse();
	}

	@Test
	void anUnreadableDaemonJsonMakesItUnknown() throws IOException {
		Files.writeString(config(), "{ not json");
		process(812, "dockerd");
		assertThat(read()).isEqualTo(new DaemonSettings(null, null));
	}

	@Test
	@org.junit.jupiter.api.Timeout(120) // reading a FIFO would block for good: this fails the hang, it measures nothing
	void aFifoAsDaemonJsonMakesItUnknownWithoutHanging() throws Exception {
		Files.createDirectories(config().getParent());
		assertThat(new ProcessBuilder("mkfifo", config().toString()).start().waitFor()).isZero();
		process(812, "dockerd");
		assertThat(read()).isEqualTo(new DaemonSettings(null, null));
	}

	@Test
	void theDockerdServingThisSocketIsPicked() throws IOException {
		process(700, "dockerd", "-H", "unix:///run/other.sock", "--userland-proxy=false");
		process(812, "dockerd", "--host=unix:///var/run/docker.sock");
		assertThat(read().userlandProxy()).isTrue();
		assertThat(DaemonSettings.read(proc(), config(), "/run/other.sock").userlandProxy()).isFalse();
		assertThat(DaemonSettings.read(proc(), config(), "/run/third.sock")).isEqualTo(DaemonSettings.UNKNOWN);
	}

	@Test
	void noDockerdMeansUnknownUnlessADockerProxyRuns() throws IOException {
		process(1, "/sbin/init");
		assertThat(read()).isEqualTo(DaemonSettings.UNKNOWN);
		process(900, "/usr/sbin/docker-proxy", "-proto", "tcp", "-host-port", "18080");
		assertThat(read()).isEqualTo(new DaemonSettings(true, null));
	}

	@Test
	void aRemoteEngineIsUnknown() {
		assertThat(DaemonSettings.live("tcp://10.0.0.1:2375")).isEqualTo(DaemonSettings.UNKNOWN);
	}

	@Test
	void noProcfsIsUnknown() {
		assertThat(DaemonSettings.read(root.resolve("missing"), config(), SOCKET)).isEqualTo(DaemonSettings.UNKNOWN);
	}
}
