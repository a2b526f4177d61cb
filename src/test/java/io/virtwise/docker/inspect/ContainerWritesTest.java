package io.virtwise.docker.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live write reading over procfs captured from this machine's engine by
 * fixtures/docker/writes/capture.sh: one container appending to /var/lib/app/app.log and rewriting
 * /var/lib/app/data.db in its writable layer, writing to a volume and a tmpfs, with short-lived
 * children; and one host process. The capture's second io sample is what the window's end sees.
 */
class ContainerWritesTest {

	static final Path CAPTURE = Path.of("src/test/resources/fixtures/docker/writes");

	@TempDir
	Path tmp;

	@org.junit.jupiter.api.AfterEach
	void removeTheTree() throws IOException {
		// links to /dev/null and the like: removed here, quietly, rather than by JUnit with a warning each
		deleteTree(tmp.resolve("proc"));
	}

	static String containerId() throws IOException {
		return Files.readString(CAPTURE.resolve("container-id")).strip();
	}

	/** The captured tree as procfs at the window's start: io.0 as io, fd links made from fd-links. */
	Path procAtStart() throws IOException {
		Path proc = tmp.resolve("proc");
		try (Stream<Path> pids = Files.list(CAPTURE.resolve("proc"))) {
			for (Path captured : pids.toList()) {
				Path pid = proc.resolve(captured.getFileName().toString());
				Files.createDirectories(pid.resolve("fdinfo"));
				Files.createDirectories(pid.resolve("fd"));
				for (String file : List.of("cgroup", "mountinfo")) {
					Files.copy(captured.resolve(file), pid.resolve(file));
				}
				Files.copy(captured.resolve("io.0"), pid.resolve("io"));
				try (Stream<Path> infos = Files.list(captured.resolve("fdinfo"))) {
					for (Path info : infos.toList()) {
						Files.copy(info, pid.resolve("fdinfo").resolve(info.getFileName().toString()));
					}
				}
				for (String link : Files.readAllLines(captured.resolve("fd-links"))) {
					String[] parts = link.split(" ", 2);
					if (parts.length == 2 && !parts[1].isEmpty()) {
						Files.createSymbolicLink(pid.resolve("fd").resolve(parts[0]), Path.of(parts[1]));
					}
				}
			}
		}
		return proc;
	}

	/** A wait that moves the captured tree to the window's end (io.1; a process without one has exited) and the clock on. */
	static ContainerWrites.Sleeper toWindowEnd(Path proc, AtomicLong clock) {
		return duration -> {
			try (Stream<Path> pids = Files.list(proc)) {
				for (Path pid : pids.toList()) {
					Path end = CAPTURE.resolve("proc").resolve(pid.getFileName().toString()).resolve("io.1");
					if (Files.exists(end)) {
						Files.copy(end, pid.resolve("io"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
					}
					else {
						deleteTree(pid);
					}
				}
			}
			catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
			clock.addAndGet(duration.toNanos());
		};
	}

	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

	static long captured(String pid, String sample) throws IOException {
		for (String line : Files.readAllLines(CAPTURE.resolve("proc").resolve(pid).resolve(sample))) {
			if (line.startsWith("write_bytes:")) {
				return Long.parseLong(line.substring("write_bytes:".length()).strip());
			}
		}
		throw new AssertionError("no write_bytes in " + pid + "/" + sample);
	}

	@Test
	void readsTheRateOfTheContainersProcessesAndTheFilesItHoldsOpenForWritingInItsWritableLayer() throws IOException {
		String id = containerId();
		Path proc = procAtStart();
		AtomicLong clock = new AtomicLong();

		Map<String, ContainerWrites.Reading> readings = new ContainerWrites(proc, Duration.ofSeconds(1), toWindowEnd(proc, clock),
				clock::get).read(List.of(id, "f".repeat(64)));

		// the container's processes only (their cgroup path names its id): what they wrote between the samples, per second
		long expected = containerSum("io.1") - containerSum("io.0");
		assertThat(expected).isPositive();
		assertThat(readings).containsOnlyKeys(id);
		assertThat(readings.get(id).bytesPerSecond()).isEqualTo((double) expected);
		// the log and the database file are on its root mount (the writable layer); the volume, the tmpfs,
		// /dev/null and the pipes are not
		assertThat(readings.get(id).layerFilesOpenForWrite()).containsExactly("/var/lib/app/app.log", "/var/lib/app/data.db");
	}

	/** write_bytes summed over the captured processes whose cgroup names the container. */
	static long containerSum(String sample) throws IOException {
		long sum = 0;
		try (Stream<Path> pids = Files.list(CAPTURE.resolve("proc"))) {
			for (Path pid : pids.toList()) {
				if (Files.readString(pid.resolve("cgroup")).contains(containerId()) && Files.exists(pid.resolve(sample))) {
					sum += captured(pid.getFileName().toString(), sample);
				}
			}
		}
		return sum;
	}

	@Test
	void aContainerWithNoProcessSeenHereHasNoReadingNotAZeroOne() throws IOException {
		Path proc = procAtStart();
		AtomicLong clock = new AtomicLong();

		assertThat(new ContainerWrites(proc, Duration.ofSeconds(1), toWindowEnd(proc, clock), clock::get)
			.read(List.of("a".repeat(64)))).isEmpty();
		assertThat(new ContainerWrites(tmp.resolve("no-proc"), Duration.ofSeconds(1)).read(List.of(containerId()))).isEmpty();
	}

	@Test
	void theWindowIsOneWaitForAllContainersAndTheFileReadingCountsTowardsIt() throws IOException {
		Path proc = procAtStart();
		AtomicLong clock = new AtomicLong();
		List<Duration> waits = new java.util.ArrayList<>();
		ContainerWrites.Sleeper sleeper = toWindowEnd(proc, clock);

		new ContainerWrites(proc, Duration.ofMillis(800), d -> {
			waits.add(d);
			sleeper.sleep(d);
		}, () -> clock.addAndGet(100_000_000L)).read(List.of(containerId(), "b".repeat(64)));

		// each look at the clock costs 100 ms here: the wait is what is left of the window, once
		assertThat(waits).containsExactly(Duration.ofMillis(700));
	}

	@Test
	void unescapesMountTableFields() {
		assertThat(ContainerWrites.unescape("/mnt/with\\040space")).isEqualTo("/mnt/with space");
		assertThat(ContainerWrites.unescape("/")).isEqualTo("/");
	}
}
