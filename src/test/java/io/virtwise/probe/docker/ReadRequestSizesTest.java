package io.virtwise.probe.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.host.HostRoots;

class ReadRequestSizesTest {

	/** The lab machine's /sys (vda, loop0-7, zram0), captured with the diskstats below. */
	static final HostRoots LAB = HostRoots.under(Path.of("src/test/resources/fixtures/host/firecracker-pvm"));
	static final Path CAPTURED = Path.of("src/test/resources/fixtures/diskstats");

	static Map<String, long[]> captured(String name) throws IOException {
		return ReadRequestSizes.readCounts(LAB, Files.readString(CAPTURED.resolve(name)));
	}

	static Map<String, long[]> large(List<Map<String, long[]>> snapshots) {
		Map<String, long[]> large = new LinkedHashMap<>();
		for (int i = 1; i < snapshots.size(); i++) {
			ReadRequestSizes.addLargeReads(snapshots.get(i - 1), snapshots.get(i), large);
		}
		return large;
	}

	@Test
	void aWhole1MiBReadIs1024KiBPerRequestInDiskstatsTakenDuringFiosSequentialRead() throws IOException {
		// /proc/diskstats every 50 ms on the lab while fio read 1 MiB blocks with O_DIRECT (48, 59, 53 requests)
		Map<String, long[]> large = large(List.of(captured("seqread-1m-0"), captured("seqread-1m-1"),
				captured("seqread-1m-2"), captured("seqread-1m-3")));

		assertThat(large).containsOnlyKeys("vda");
		assertThat(large.get("vda")).containsExactly(48 + 59 + 53, (48 + 59 + 53) * 2048L);
	}

	@Test
	void fourKiBRandomReadsAreNotLargeReads() throws IOException {
		// the same, during fio's 4k random reads: 618 requests of 8 sectors
		assertThat(large(List.of(captured("randread-4k-0"), captured("randread-4k-1")))).isEmpty();
	}

	@Test
	void onlyWholeDisksCountNotPartitionsLoopOrZram() throws IOException {
		String text = Files.readString(CAPTURED.resolve("seqread-1m-0"))
				+ " 254       1 vda1 5 0 40 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

		assertThat(ReadRequestSizes.readCounts(LAB, text)).containsOnlyKeys("vda");
	}

	@Test
	void aSplitReadComesToHalfAndAnIntervalMostlyOfSmallReadsIsLeftOut() {
		Map<String, long[]> large = large(List.of(Map.of("vda", new long[] { 0, 0 }),
				// 10 reads of 1 MiB split in two: 20 requests, 20,480 sectors
				Map.of("vda", new long[] { 20, 20_480 }),
				// the switch to the next job: 300 4k reads beside 2 split requests, 7 KiB on average
				Map.of("vda", new long[] { 322, 20_480 + 2_400 + 2_048 })));

		assertThat(large.get("vda")).containsExactly(20, 20_480);
	}

	@Test
	void withoutDiskstatsThereIsNoFigure(@TempDir Path empty) {
		ReadRequestSizes sizes = ReadRequestSizes.watch(HostRoots.under(empty));
		sizes.close();

		assertThat(sizes.kibPerRequest()).isEmpty();
	}

	@Test
	void watchingThisMachineEndsWhenClosed() throws InterruptedException {
		ReadRequestSizes sizes = ReadRequestSizes.watch(HostRoots.live());
		Thread.sleep(3 * ReadRequestSizes.INTERVAL_MS);
		sizes.close();

		assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("virtwise-diskstats") && t.isAlive());
	}
}
