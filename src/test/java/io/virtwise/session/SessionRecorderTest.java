package io.virtwise.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionRecorderTest {

	@TempDir
	Path dir;

	@Test
	void aFilePlantedAtTheNextJournalNameIsLeftAloneAndRecordingGoesOn() throws Exception {
		// the journal is named by the second it starts in: plant a file at the names of the next few seconds
		List<Path> planted = new ArrayList<>();
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		for (int s = 0; s < 5; s++) {
			String stem = DateTimeFormatter.ISO_INSTANT.format(now.plusSeconds(s)).replace(":", "-") + "-" + hostName() + "-"
					+ ProcessHandle.current().pid();
			planted.add(Files.writeString(dir.resolve(stem + SessionStore.SUFFIX), "planted"));
		}
		try (SessionRecorder recorder = new SessionRecorder(dir, () -> null, "test")) {
			recorder.record("rules", "out", 0, 1, null, null);
			recorder.record("help", "out", 0, 1, null, null);
			Path journal = recorder.currentFile();
			assertThat(journal).isNotNull().exists().satisfies(j -> assertThat(planted).doesNotContain(j));
			assertThat(SessionStore.load(journal).commands()).hasSize(2);
		}
		for (Path p : planted) {
			assertThat(Files.readString(p)).isEqualTo("planted");
		}
	}

	static String hostName() throws Exception {
		return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "_");
	}
}
