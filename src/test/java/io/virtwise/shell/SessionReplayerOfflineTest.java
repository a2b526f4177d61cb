package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.virtwise.facts.Facts;
import io.virtwise.session.RecordedSession;
import io.virtwise.session.SessionEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An offline replay re-runs only read-only views: a session file naming paths to write, or a fix
 * to apply, shows the recorded output and leaves the file system and the guests alone.
 */
class SessionReplayerOfflineTest {

	@TempDir
	Path dir;

	@Test
	void commandsThatWriteAreNotReRunAndTheVictimIsUntouched() throws Exception {
		Path victim = dir.resolve("victim.txt");
		Files.writeString(victim, "keep me");
		Path report = dir.resolve("report.txt");
		Facts facts = Facts.ofHost(null, null, "recorded");
		List<SessionEntry> commands = List.of(
				SessionEntry.command(1, "t", "facts export " + victim, 0, 1, "Wrote facts to " + victim, facts, null),
				SessionEntry.command(2, "t", "advise --output " + report, 0, 1, "advice", facts, null),
				SessionEntry.command(3, "t", "advise --output=" + report + " --format json", 0, 1, "advice", facts, null),
				SessionEntry.command(4, "t", "fix apply kvm-x web --yes", 0, 1, "applied", facts, null),
				SessionEntry.command(5, "t", "fix rollback web", 0, 1, "rolled back", facts, null),
				SessionEntry.command(6, "t", "probe docker", 0, 1, "probed", facts, null),
				SessionEntry.command(7, "t", "kvm stats web", 0, 1, "sampled", facts, null),
				SessionEntry.command(8, "t", "script " + victim, 0, 1, "ran", facts, null),
				SessionEntry.command(9, "t", "rules reload", 0, 1, "reloaded", null, null),
				SessionEntry.command(10, "t", "facts import " + victim, 0, 1, "imported", null, null));
		RecordedSession session = new RecordedSession(dir.resolve("s.session.jsonl"),
				SessionEntry.header("test", null, "h", "t"), commands, "evil", false);

		// no runner and no gatherer: a command that were re-run would fail here
		String out = new SessionReplayer(null, null, null).replay(session);

		assertThat(Files.readString(victim, StandardCharsets.UTF_8)).isEqualTo("keep me");
		assertThat(report).doesNotExist();
		assertThat(out).contains("not re-run: writes " + victim, "not re-run: writes " + report,
				"Wrote facts to " + victim, "applied", "rolled back");
		assertThat(dir.toFile().list()).containsExactly("victim.txt");
	}

	@Test
	void aLiveReplayWritesNoFileNamedInTheSessionEither() throws Exception {
		Path victim = dir.resolve("victim.txt");
		Files.writeString(victim, "keep me");
		Facts facts = Facts.ofHost(null, null, "recorded");
		List<SessionEntry> commands = List.of(
				SessionEntry.command(1, "t", "facts export " + victim, 0, 1, "Wrote facts to " + victim, facts, null),
				SessionEntry.command(2, "t", "advise --output=" + victim, 0, 1, "advice", facts, null));
		RecordedSession session = new RecordedSession(dir.resolve("s.session.jsonl"),
				SessionEntry.header("test", null, "h", "t"), commands, "evil", false);

		// no runner: a command that were re-run would fail here
		String out = new SessionReplayer(null, null, null).replay(session, true, null);

		assertThat(Files.readString(victim, StandardCharsets.UTF_8)).isEqualTo("keep me");
		assertThat(out).contains("not re-run: writes " + victim, "Wrote facts to " + victim);
		assertThat(dir.toFile().list()).containsExactly("victim.txt");
	}

	@Test
	void readOnlyViewsStayReplayable() {
		assertThat(SessionReplayer.notReplayable(List.of("advise"), true)).isNull();
		assertThat(SessionReplayer.notReplayable(List.of("advise", "--format", "json", "--fail-on", "high"), true)).isNull();
		assertThat(SessionReplayer.notReplayable(List.of("advise", "--timing"), true)).isNull();
		assertThat(SessionReplayer.notReplayable(List.of("host", "--format=json"), true)).isNull();
		assertThat(SessionReplayer.notReplayable(List.of("rules"), false)).isNull();
		assertThat(SessionReplayer.notReplayable(List.of("help", "advise"), false)).isNull();
	}

	/** Whatever words a session file holds, only an allow-listed view with read-only options is re-run. */
	@Test
	void onlyAllowListedCommandsAreEverReRun() {
		List<String> vocabulary = List.of("advise", "host", "rules", "help", "facts", "export", "import", "fix", "apply",
				"rollback", "probe", "kvm", "docker", "stats", "reload", "script", "session", "--output", "--format",
				"json", "--fail-on", "high", "--timing", "--facts", "--yes", "--libvirt", "/tmp/victim", "--output=/tmp/v",
				"--seconds", "5");
		Random random = new Random(42);
		for (int n = 0; n < 20_000; n++) {
			List<String> words = new ArrayList<>();
			int length = 1 + random.nextInt(6);
			for (int i = 0; i < length; i++) {
				words.add(vocabulary.get(random.nextInt(vocabulary.size())));
			}
			boolean hasFacts = random.nextBoolean();
			if (SessionReplayer.notReplayable(words, hasFacts) == null) {
				String first = words.get(0);
				assertThat(first).as("%s", words).isIn("advise", "host", "rules", "help");
				if (!first.equals("help")) {
					assertThat(words).as("%s", words).doesNotContain("--output", "--output=/tmp/v", "/tmp/victim",
							"export", "apply", "reload", "--yes", "--libvirt");
				}
			}
		}
	}
}
