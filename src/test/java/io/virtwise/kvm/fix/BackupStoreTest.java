package io.virtwise.kvm.fix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupStoreTest {

	@TempDir
	Path tmp;

	static Clock at(String instant) {
		return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
	}

	@Test
	void savesOwnerOnlyUnderGuestAndUtcStamp() throws Exception {
		Path dir = tmp.resolve("a/backups");
		BackupStore store = new BackupStore(dir, at("2025-03-04T05:06:07.089Z"));
		Path file = store.save("web", "<domain/>");
		assertThat(file).isEqualTo(dir.resolve("web-20250304T050607.089Z.xml"));
		assertThat(Files.readString(file)).isEqualTo("<domain/>");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
	}

	@Test
	void latestIsTheNewestOfThatGuestOnly() throws Exception {
		new BackupStore(tmp, at("2025-01-01T00:00:00Z")).save("web", "old");
		new BackupStore(tmp, at("2025-02-01T00:00:00Z")).save("web", "new");
		new BackupStore(tmp, at("2025-03-01T00:00:00Z")).save("web-2", "other guest");
		BackupStore store = new BackupStore(tmp);
		assertThat(store.list("web")).hasSize(2);
		assertThat(Files.readString(store.latest("web").orElseThrow())).isEqualTo("new");
		assertThat(Files.readString(store.latest("web-2").orElseThrow())).isEqualTo("other guest");
		assertThat(store.latest("db")).isEmpty();
	}

	@Test
	void sameMillisecondNeverOverwrites() throws Exception {
		BackupStore store = new BackupStore(tmp, at("2025-01-01T00:00:00Z"));
		Path first = store.save("web", "one");
		Path second = store.save("web", "two");
		Path third = store.save("web", "three");
		assertThat(first).isNotEqualTo(second);
		assertThat(Files.readString(first)).isEqualTo("one");
		assertThat(store.list("web")).containsExactly(first, second, third);
		assertThat(Files.readString(store.latest("web").orElseThrow())).isEqualTo("three");
	}

	@Test
	void missingDirectoryHasNoBackups() throws Exception {
		assertThat(new BackupStore(tmp.resolve("none")).latest("web")).isEmpty();
	}

	@Test
	void namesThatWouldEscapeTheDirectoryAreRefused() {
		BackupStore store = new BackupStore(tmp);
		assertThatThrownBy(() -> store.save("../etc/passwd", "x")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> store.latest("")).isInstanceOf(IllegalArgumentException.class);
	}

	/** A clock that moves on a millisecond at each reading, as the real one does between printing and saving. */
	static Clock ticking(String start) {
		return new Clock() {
			private Instant now = Instant.parse(start);

			@Override
			public synchronized Instant instant() {
				now = now.plusMillis(3);
				return now;
			}

			@Override
			public java.time.ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}
		};
	}

	@Test
	void thePathPrintedBeforeAskingIsTheFileSaved() throws Exception {
		BackupStore store = new BackupStore(tmp, ticking("2025-01-01T00:00:00Z"));
		Path printed = store.nextPath("web"); // fix apply prints "virsh define <this>", then asks
		Path saved = store.save(printed, "<domain/>");
		assertThat(saved).isEqualTo(printed);
		assertThat(Files.readString(printed)).isEqualTo("<domain/>");
		assertThat(store.latest("web")).contains(printed);
	}

	@Test
	void aBackupNeverOverwritesOneThatAppearedAfterItsPathWasPrinted() throws Exception {
		BackupStore store = new BackupStore(tmp, at("2025-01-01T00:00:00Z"));
		Path printed = store.nextPath("web");
		Files.writeString(printed, "someone else's");
		assertThatThrownBy(() -> store.save(printed, "<domain/>")).hasMessageContaining("appeared while writing it");
		assertThat(Files.readString(printed)).isEqualTo("someone else's");
		assertThatThrownBy(() -> store.save(tmp.resolve("elsewhere/web.xml"), "x")).isInstanceOf(IllegalArgumentException.class);
	}
}
