package io.virtwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.virtwise.session.RecordedSession;
import io.virtwise.session.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions as users make them: the packaged jar's interactive shell fed on stdin (JLine falls
 * back to a dumb terminal), recorded under a private sessions folder, then replayed offline.
 */
class SessionJarIT {

	static final String FIXTURE = "src/test/resources/facts/untuned-host.json";

	@TempDir
	Path sessions;

	ProcessBuilder virtwise(String... args) {
		List<String> command = new ArrayList<>(List.of("java", "-Dvirtwise.home=.", "-Dvirtwise.sessions=" + sessions,
				"-jar", "target/virtwise.jar"));
		command.addAll(List.of(args));
		return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
	}

	String oneShot(String... args) throws Exception {
		Process p = virtwise(args).redirectInput(new File("/dev/null")).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(out).isZero();
		return out;
	}

	List<Path> journals() throws Exception {
		try (Stream<Path> files = Files.list(sessions)) {
			return files.filter(f -> f.toString().endsWith(SessionStore.SUFFIX)).toList();
		}
	}

	@Test
	void aRecordedSessionReplaysByteForByte() throws Exception {
		Process shell = virtwise().start();
		try (OutputStream in = shell.getOutputStream()) {
			in.write(("advise --facts " + FIXTURE + "\nrules\nadvise --facts '" + FIXTURE + "' --format markdown\n"
					+ "nosuchcommand\nsession save round-trip\nexit\n").getBytes(StandardCharsets.UTF_8));
		}
		shell.getInputStream().readAllBytes();
		assertThat(shell.waitFor(60, TimeUnit.SECONDS)).isTrue();

		RecordedSession recorded = new SessionStore(sessions).find("round-trip");
		assertThat(recorded.commands()).extracting(c -> c.line()).containsExactly("advise --facts " + FIXTURE, "rules",
				"advise --facts '" + FIXTURE + "' --format markdown", "nosuchcommand", "session save round-trip");
		assertThat(recorded.commands().get(3).exit()).isEqualTo(2);
		assertThat(recorded.commands().get(0).facts()).isNotNull();
		assertThat(recorded.commands().get(0).recommendations()).isNotEmpty();

		String first = oneShot("session", "replay", "round-trip");
		String second = oneShot("session", "replay", "round-trip");
		assertThat(first).isEqualTo(second);
		assertThat(first).contains("Every replayed command gives the recorded output.", "= unchanged");
		assertThat(oneShot("session", "list")).containsPattern("round-trip .* 5 +" + recorded.recommendationCount() + "\n");
		String live = oneShot("session", "replay", "round-trip", "--live");
		assertThat(live).contains("Replaying live on this host round-trip", "virtwise> rules\n  = unchanged");
		assertThat(oneShot("session", "show", "round-trip")).contains("virtwise> rules", "HOST-HUGEPAGES-PLAN");
	}

	@Test
	void theSessionsFlagWinsOverTheEnvironment(@TempDir Path elsewhere) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("java", "-Dvirtwise.home=.", "-jar", "target/virtwise.jar", "--sessions",
				sessions.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
		builder.environment().put("VIRTWISE_SESSIONS", elsewhere.toString());
		Process shell = builder.start();
		try (OutputStream in = shell.getOutputStream()) {
			in.write("rules\nsession save flagged\nexit\n".getBytes(StandardCharsets.UTF_8));
		}
		shell.getInputStream().readAllBytes();
		assertThat(shell.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(new SessionStore(sessions).find("flagged").commands()).hasSize(2);
		try (Stream<Path> files = Files.list(elsewhere)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void killMinusNineLosesAtMostTheCommandInFlight() throws Exception {
		Process shell = virtwise().start();
		OutputStream in = shell.getOutputStream();
		for (int i = 1; i <= 3; i++) {
			in.write(("advise --facts " + FIXTURE + "\n").getBytes(StandardCharsets.UTF_8));
			in.flush();
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		int recorded = 0;
		while (System.nanoTime() < deadline && recorded < 3) {
			Thread.sleep(100);
			List<Path> files = journals();
			recorded = files.isEmpty() ? 0 : (int) Files.readAllLines(files.get(0)).stream().filter(l -> l.contains("\"type\":\"command\"")).count();
		}
		assertThat(recorded).isEqualTo(3);
		shell.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
		shell.waitFor(10, TimeUnit.SECONDS);
		RecordedSession session = SessionStore.load(journals().get(0));
		assertThat(session.commands()).hasSize(3);
		assertThat(session.commands()).allSatisfy(c -> assertThat(c.output()).contains("HOST-HUGEPAGES-PLAN"));
	}

	@Test
	void theShippedExampleSessionsLoadReplayDeterministicallyAndHoldNoSecrets() throws Exception {
		SessionStore shipped = new SessionStore(Path.of("sessions"));
		SessionStore.Listing listing = shipped.list();
		assertThat(listing.problems()).isEmpty();
		assertThat(listing.sessions()).extracting(SessionStore.Summary::displayName).contains("example-untuned", "example-tuned");
		for (SessionStore.Summary s : listing.sessions()) {
			String text = Files.readString(s.file());
			assertThat(text).doesNotContain("example-not-a-real-secret", "s3cretvn");
		}
		List<String> replay = new ArrayList<>(List.of("java", "-Dvirtwise.home=.", "-jar", "target/virtwise.jar", "--sessions",
				"sessions", "session", "replay", "example-untuned"));
		String first = run(replay);
		assertThat(first).isEqualTo(run(replay)).contains("Replaying example-untuned", "virtwise> advise");
	}

	static String run(List<String> command) throws Exception {
		Process p = new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(out).isZero();
		return out;
	}
}
