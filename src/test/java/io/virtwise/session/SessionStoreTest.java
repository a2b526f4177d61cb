package io.virtwise.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {

	@TempDir
	Path dir;

	Path journal(String stem, int commands) throws Exception {
		Path file = dir.resolve(stem + SessionStore.SUFFIX);
		try (SessionJournal j = SessionJournal.create(file, SessionEntry.header("test", "abc", "lab1", "2026-11-25T09:00:00Z"))) {
			for (int i = 1; i <= commands; i++) {
				j.append(SessionEntry.command(i, "2026-11-25T09:00:0" + i + "Z", "rules", 0, 5, "out " + i, null, null));
			}
		}
		return file;
	}

	@Test
	void journalIsOwnerOnlyAndReadsBack() throws Exception {
		Path file = journal("a", 3);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		RecordedSession s = SessionStore.load(file);
		assertThat(s.commands()).extracting(SessionEntry::seq).containsExactly(1, 2, 3);
		assertThat(s.header().host()).isEqualTo("lab1");
		assertThat(s.truncatedTail()).isFalse();
	}

	@Test
	void aLastLineCutShortByACrashIsDroppedAndTheRestLoads() throws Exception {
		Path file = journal("cut", 2);
		Files.writeString(file, Files.readString(file) + "{\"type\":\"command\",\"seq\":3,\"line\":\"adv", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
		RecordedSession s = SessionStore.load(file);
		assertThat(s.commands()).hasSize(2);
		assertThat(s.truncatedTail()).isTrue();
	}

	@Test
	void corruptEmptyForeignAndFutureFilesSayWhichFileAndWhat() throws Exception {
		Path corrupt = journal("corrupt", 3);
		java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(corrupt));
		lines.set(2, "garbage{{");
		Files.write(corrupt, lines);
		assertThatThrownBy(() -> SessionStore.load(corrupt)).isInstanceOf(SessionFileException.class)
			.hasMessageContaining(corrupt.toString()).hasMessageContaining("corrupt at line 3");

		Path empty = Files.writeString(dir.resolve("empty" + SessionStore.SUFFIX), "");
		assertThatThrownBy(() -> SessionStore.load(empty)).hasMessageContaining("is empty").hasMessageContaining(empty.toString());

		Path foreign = Files.writeString(dir.resolve("foreign" + SessionStore.SUFFIX), "{\"hello\":1}\n");
		assertThatThrownBy(() -> SessionStore.load(foreign)).hasMessageContaining("no session header");

		Path future = Files.writeString(dir.resolve("future" + SessionStore.SUFFIX), "{\"type\":\"header\",\"format\":9}\n");
		assertThatThrownBy(() -> SessionStore.load(future)).hasMessageContaining("format 9").hasMessageContaining("newer");
	}

	@Test
	void listingSkipsBrokenFilesButKeepsTheOthers() throws Exception {
		journal("good1", 1);
		journal("good2", 2);
		Files.writeString(dir.resolve("bad" + SessionStore.SUFFIX), "not json\n");
		SessionStore.Listing listing = new SessionStore(dir).list();
		assertThat(listing.sessions()).hasSize(2);
		assertThat(listing.problems()).singleElement().asString().contains("bad" + SessionStore.SUFFIX);
		assertThat(new SessionStore(dir).find("good2").commands()).hasSize(2);
		assertThatThrownBy(() -> new SessionStore(dir).find("nope")).hasMessageContaining("no session named 'nope'");
	}

	@Test
	void secretsAreRedactedBeforeTheyReachTheDisk() throws Exception {
		Path file = dir.resolve("secret" + SessionStore.SUFFIX);
		Facts facts = FactsJson.read(Path.of("src/test/resources/facts/untuned-host.json"));
		try (SessionJournal j = SessionJournal.create(file, SessionEntry.header("test", null, "lab1", "now"))) {
			j.append(SessionEntry.command(1, "now", "docker show db", 0, 1,
					"run: docker run -e DB_PASSWORD=hunter2-secret img\n<graphics passwd='vnc-s3cret'/>", facts, null));
		}
		String onDisk = Files.readString(file);
		assertThat(onDisk).doesNotContain("hunter2-secret", "vnc-s3cret").contains("DB_PASSWORD=<redacted>");
		assertThat(SessionStore.load(file).commands().get(0).facts().host()).isNotNull();
	}

	@Test
	void eachStringOfTheLineIsRedactedAsItsOwnText() throws Exception {
		// one JSON line holds many lines of output: a client on one must not reach an option on the next
		Path file = dir.resolve("lines" + SessionStore.SUFFIX);
		try (SessionJournal j = SessionJournal.create(file, SessionEntry.header("test", null, "lab1", "now"))) {
			j.append(SessionEntry.command(1, "now", "docker ls", 0, 1,
					"web: --health-cmd 'curl -f http://localhost/'\nworker: --user 999:999\ncache: redis-cli -a \"r3dis pw\" ping",
					null, null));
		}
		String output = SessionStore.load(file).commands().get(0).output();
		assertThat(output).contains("worker: --user 999:999", "redis-cli -a \"<redacted>\" ping").doesNotContain("r3dis");
	}

	@Test
	@org.junit.jupiter.api.Timeout(120) // a FIFO read would block for good: this fails the hang, it measures nothing
	void aFifoAHugeFileAndBinaryAreEachOneProblemLineAndTheOthersStillListAndShow() throws Exception {
		journal("good1", 1);
		journal("good2", 2);
		Path fifo = dir.resolve("fifo" + SessionStore.SUFFIX);
		assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
		Path huge = dir.resolve("huge" + SessionStore.SUFFIX);
		try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
			raf.setLength(100L * 1024 * 1024);
		}
		Path binary = Files.write(dir.resolve("binary" + SessionStore.SUFFIX), new byte[] { '{', (byte) 0xFF, '}', '\n' });

		SessionStore store = new SessionStore(dir);
		SessionStore.Listing listing = store.list();
		assertThat(listing.sessions()).hasSize(2);
		assertThat(listing.problems()).hasSize(3).allSatisfy(p -> assertThat(p).doesNotContain("\n"));
		assertThat(listing.problems()).anySatisfy(p -> assertThat(p).contains(fifo.toString()).contains("not a regular file"));
		assertThat(listing.problems()).anySatisfy(p -> assertThat(p).contains(huge.toString()).contains("16 MiB limit"));
		assertThat(listing.problems()).anySatisfy(p -> assertThat(p).isEqualTo("session file " + binary + " is not UTF-8 text"));
		assertThat(store.find("good2").commands()).hasSize(2);
		assertThatThrownBy(() -> store.find("huge")).isInstanceOf(SessionFileException.class).hasMessageContaining("16 MiB limit");
	}

	@Test
	void aNameNeverReachesOutsideTheFolder() throws Exception {
		Path outside = Files.createDirectories(dir.resolve("outside"));
		Path sessions = Files.createDirectories(dir.resolve("sessions"));
		Path foreign = outside.resolve("x" + SessionStore.SUFFIX);
		try (SessionJournal j = SessionJournal.create(foreign, SessionEntry.header("test", "abc", "elsewhere", "2026-11-25T09:00:00Z"))) {
			j.append(SessionEntry.command(1, "2026-11-25T09:00:01Z", "rules", 0, 5, "secret output", null, null));
		}
		SessionStore store = new SessionStore(sessions);
		for (String name : java.util.List.of("../outside/x", "../../../tmp/x", "/tmp/x", ".hidden", "a\\b", "..")) {
			assertThatThrownBy(() -> store.find(name)).as(name).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("is not a session name");
		}
		// a link inside the folder that leads out of it is not followed
		Files.createSymbolicLink(sessions.resolve("link" + SessionStore.SUFFIX), foreign);
		assertThatThrownBy(() -> store.find("link")).isInstanceOf(SessionFileException.class).hasMessageContaining("leads out of");
		assertThat(store.list().sessions()).isEmpty();
		assertThat(store.list().problems()).singleElement().asString().contains("leads out of");
		// an explicit path to a session file stays what the user asked for
		assertThat(store.find(foreign.toString()).header().host()).isEqualTo("elsewhere");
	}

	@Test
	void entriesReadBackAreRedactedLineOutputFactsAndRecommendations() throws Exception {
		Path file = dir.resolve("evil" + SessionStore.SUFFIX);
		String facts = "{\"schemaVersion\":1,\"containers\":[{\"id\":\"c1\",\"name\":\"db\",\"runCommand\":"
				+ "\"docker run --name db img app --password LEAKRUN2\"}]}";
		Files.writeString(file, String.join("\n",
				"{\"type\":\"header\",\"format\":1,\"tool\":\"t\",\"at\":\"2026-11-25T09:00:00Z\"}",
				"{\"type\":\"command\",\"seq\":1,\"line\":\"advise --libvirt qemu+tcp://admin:LEAKLINE@h/system\","
						+ "\"exit\":0,\"output\":\"db --password LEAKOUT\",\"facts\":" + facts
						+ ",\"recommendations\":[\"run: app --password LEAKREC\"]}", ""));
		RecordedSession s = SessionStore.load(file);
		SessionEntry e = s.commands().get(0);
		String all = e.line() + e.output() + FactsJson.write(e.facts()) + e.recommendations();
		assertThat(all).doesNotContain("LEAKLINE").doesNotContain("LEAKOUT").doesNotContain("LEAKRUN2").doesNotContain("LEAKREC")
			.contains("<redacted>");
		assertThat(e.line()).startsWith("advise --libvirt qemu+tcp://admin:");
		assertThat(e.facts().containers().get(0).name()).isEqualTo("db");
	}
}
