package io.virtwise.probe.docker;

import io.virtwise.probe.core.ProbeOutputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.virtwise.facts.DiskInfo;
import io.virtwise.facts.ThpFacts;

class StorageProbeTest {

	static StoragePlaces.Place volume(boolean direct) {
		return new StoragePlaces.Place("volume", "vwprobe-x-storage", "/probe/volume", List.of(), new boolean[] { direct });
	}

	@Test
	void theMeasuredRunIsTimeBasedWithARampOnABigFileWithODirect() {
		ProbePlan plan = ProbePlan.fit(false, true, 0, 3, false, 113);
		assertThat(String.join(" ", StorageCommands.fioArgs(volume(true), plan))).isEqualTo("env GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=4194304 fio --output-format=json "
				+ "--filename=/probe/volume/virtwise-fio.dat --size=256m --ioengine=psync --iomem_align=2m --direct=1 "
				+ "--ramp_time=500ms --runtime=1000ms --time_based "
				+ "--name=randread --rw=randread --bs=4k --stonewall --name=randwrite --rw=randwrite --bs=4k --stonewall "
				+ "--name=seqread --rw=read --bs=1m --stonewall --name=seqwrite --rw=write --bs=1m --stonewall");
	}

	@Test
	void withoutSequentialJobsOnlyTheRandomOnesRun() {
		ProbePlan quick = ProbePlan.fit(false, true, 0, 3, true, 25);
		List<String> args = StorageCommands.fioArgs(volume(true), quick);
		assertThat(args).contains("--ramp_time=250ms", "--runtime=250ms", "--name=randread", "--name=randwrite")
			.doesNotContain("--name=seqread", "--name=seqwrite");
	}

	@Test
	void whereODirectIsRefusedTheRunIsBufferedAndFlushedAndSaysSo() {
		ProbePlan plan = ProbePlan.fit(false, true, 0, 3, false, 113);
		List<String> args = StorageCommands.fioArgs(volume(false), plan);
		assertThat(args).contains("--direct=0", "--invalidate=1", "--end_fsync=1").doesNotContain("--direct=1");
		assertThat(StorageCommands.warmUpArgs(volume(false))).contains("--direct=0", "--invalidate=1", "--end_fsync=1");
	}

	@Test
	void theWarmUpUsesTheSameFileAndOptionsButOneShortUncountedReadJobThatLaysTheFileOut() {
		List<String> warmUp = StorageCommands.warmUpArgs(volume(true));
		List<String> measured = StorageCommands.fioArgs(volume(true), ProbePlan.fit(false, true, 0, 3, false, 113));
		assertThat(warmUp.subList(0, 9)).isEqualTo(measured.subList(0, 9));
		assertThat(String.join(" ", warmUp.subList(9, warmUp.size())))
			.isEqualTo("--runtime=100ms --time_based --name=warm-up --rw=randread --bs=4k");
	}

	@Test
	void theNoteSaysWhereTheOneMibBufferLiesAndWarnsWhenTheHostHasNoHugePages() {
		assertThat(SeqReadNotes.hugePageBufferNote(new ThpFacts("madvise", "madvise"))).isEqualTo("1 MiB I/O from a buffer asked "
				+ "to lie in one transparent huge page (GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=4194304 "
				+ "and --iomem_align=2m), so that each read or write can reach the disk as one segment (transparent huge pages "
				+ "here: madvise, defrag madvise)");
		assertThat(SeqReadNotes.hugePageBufferNote(new ThpFacts("always", "never")))
			.endsWith("(transparent huge pages here: always, defrag never); with defrag never a huge page comes only when one "
					+ "is free, so the seqread request sizes say whether the reads went whole");
		assertThat(SeqReadNotes.hugePageBufferNote(new ThpFacts("never", "never")))
			.startsWith("transparent huge pages are off on this host (enabled: never): fio's 1 MiB buffer is in 4 KiB pages");
		assertThat(SeqReadNotes.hugePageBufferNote(null)).endsWith("where the engine's host has transparent huge pages (always or madvise)");
	}

	@Test
	void smallFileRateCountsCreateAndDeleteTime() {
		// 1000 files created in 0.3 s and deleted in 0.2 s: 2000 files/s
		assertThat(StorageCommands.smallFileRate("1000 300000000 200000000\n")).isCloseTo(2000.0, within(1e-9));
	}

	@Test
	void aShortCountOrGarbageIsNotARate() {
		assertThatThrownBy(() -> StorageCommands.smallFileRate("999 300000000 200000000")).isInstanceOf(ProbeOutputException.class);
		assertThatThrownBy(() -> StorageCommands.smallFileRate("split: write error")).isInstanceOf(ProbeOutputException.class);
	}

	@Test
	void unitsFollowTheNamingConvention() {
		assertThat(StorageProbe.unit("randread-iops")).isEqualTo("IOPS");
		assertThat(StorageProbe.unit("seqwrite-mbps")).isEqualTo("MB/s");
		assertThat(StorageProbe.unit("small-file-ops")).isEqualTo("files/s");
		assertThat(StorageProbe.unit("copy-up-ms")).isEqualTo("ms");
	}

	static Map<String, List<Map<String, Double>>> requests(Object... pathAndKib) {
		Map<String, List<Map<String, Double>>> byPath = new LinkedHashMap<>();
		for (int i = 0; i < pathAndKib.length; i += 2) {
			List<Map<String, Double>> reps = new ArrayList<>();
			for (double kib : (double[]) pathAndKib[i + 1]) {
				reps.add(Map.of("vda", kib));
			}
			byPath.put((String) pathAndKib[i], reps);
		}
		return byPath;
	}

	@Test
	void theRequestNoteGivesEachRepetitionsRequestSizeAndTheDisksLimit() {
		String note = SeqReadNotes.readRequestNote(requests("host-dir", new double[] { 1024, 1024, 1024 },
				"volume", new double[] { 1023.6, 1024, 1024 }), disk -> new DiskInfo(disk, null, null, null, 254, 4096));

		assertThat(note).isEqualTo("seqread: the 1 MiB reads reached the disk as requests of (KiB, per repetition) "
				+ "host-dir 1024, 1024, 1024; volume 1024, 1024, 1024 (vda takes up to 254 segments and 4096 KiB per request)");
	}

	@Test
	void splitRunsAreExplainedAndPathsMixingBothNamed() {
		String note = SeqReadNotes.readRequestNote(requests("host-dir", new double[] { 512, 512, 512 },
				"writable-layer", new double[] { 1024, 512, 1024 }, "volume", new double[] { 1024, 1024, 1024 }), disk -> new DiskInfo(disk, null, null, null, 254, 4096));

		assertThat(note).startsWith("seqread: the 1 MiB reads reached the disk as requests of (KiB, per repetition) "
				+ "host-dir 512, 512, 512; writable-layer 1024, 512, 1024; volume 1024, 1024, 1024 (vda takes up to 254")
			.contains("goes as two requests")
			.endsWith("so the seqread figures of writable-layer mix split and whole runs");
	}

	@Test
	void onStackedDevicesTheSmallerRequestCountsAndARepetitionWithoutLargeReadsHasNoFigure() {
		Map<String, List<Map<String, Double>>> byPath = new LinkedHashMap<>();
		byPath.put("bind-mount", List.of(Map.of("dm-0", 1024.0, "sda", 512.0), Map.of()));

		assertThat(SeqReadNotes.readRequestNote(byPath, disk -> new DiskInfo(disk, null, null, null, disk.equals("sda") ? 168 : null, null)))
			.startsWith("seqread: the 1 MiB reads reached the disk as requests of (KiB, per repetition) bind-mount 512, - "
					+ "(dm-0, sda takes up to 168 segments per request); ");
	}

	@Test
	void aDiskThatTakesLessThan1MiBPerRequestIsNotCalledSplitAtItsOwnLimit() {
		String note = SeqReadNotes.readRequestNote(requests("host-dir", new double[] { 512, 512 }),
				disk -> new DiskInfo(disk, null, null, null, 127, 512));
		assertThat(note).isEqualTo("seqread: the 1 MiB reads reached the disk as requests of (KiB, per repetition) "
				+ "host-dir 512, 512 (vda takes up to 127 segments and 512 KiB per request)");
	}

	@Test
	void withoutAnyLargeReadThereIsNoNote() {
		assertThat(SeqReadNotes.readRequestNote(Map.of("volume", List.of(Map.of(), Map.of())), disk -> new DiskInfo(disk, null, null, null, 254, 4096))).isNull();
		assertThat(SeqReadNotes.readRequestNote(Map.of(), disk -> new DiskInfo(disk, null, null, null, 254, 4096))).isNull();
	}
}
