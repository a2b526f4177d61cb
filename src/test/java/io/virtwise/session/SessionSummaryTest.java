package io.virtwise.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** session list reads summaries only; find tries the file of that stem before reading the folder. */
class SessionSummaryTest {

	@TempDir
	Path dir;

	private Path journal(String stem, int commands, String savedName) throws Exception {
		Path file = dir.resolve(stem + SessionStore.SUFFIX);
		try (SessionJournal j = SessionJournal.create(file, SessionEntry.header("test", "abc", "lab1", "2026-11-25T09:00:00Z"))) {
			for (int i = 1; i <= commands; i++) {
				j.append(SessionEntry.command(i, "2026-11-25T09:00:0" + i + "Z", "rules", 0, 5, "out " + i, null, null));
			}
		}
		if (savedName != null) {
			Files.writeString(file, "{\"type\":\"name\",\"name\":\"" + savedName + "\"}\n",
					java.nio.file.StandardOpenOption.APPEND);
		}
		return file;
	}

	@Test
	void aSummaryCountsWithoutKeepingCommands() throws Exception {
		Path file = journal("a", 4, "kept");
		SessionStore.Summary summary = SessionStore.summarize(file);
		assertThat(summary.commandCount()).isEqualTo(4).isEqualTo(SessionStore.load(file).commands().size());
		assertThat(summary.recommendationCount()).isEqualTo(SessionStore.load(file).recommendationCount());
		assertThat(summary.displayName()).isEqualTo("kept");
		assertThat(new SessionStore(dir).list().sessions()).singleElement()
			.satisfies(s -> assertThat(s.commandCount()).isEqualTo(4));
	}

	@Test
	void findTriesTheStemFirstThenASavedName() throws Exception {
		journal("s3", 1, null);
		journal("other", 2, "s3");
		journal("third", 3, "named");
		SessionStore store = new SessionStore(dir);
		assertThat(store.find("s3").commands()).hasSize(1);
		assertThat(store.find("named").commands()).hasSize(3);
	}
}
