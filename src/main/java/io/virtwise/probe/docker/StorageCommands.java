package io.virtwise.probe.docker;

import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.docker.StoragePlaces.Place;
import java.util.ArrayList;
import java.util.List;

/** The command lines the storage probe runs in its containers: fio, the small-file run, mkdir. */
final class StorageCommands {

	static final String FILE_SIZE = "256m";
	/** The warm-up's one job: long enough to lay out the file and show an O_DIRECT refusal. */
	static final int WARM_UP_MS = 100;
	static final int SMALL_FILES = 1000;
	/**
	 * Put before fio: glibc madvises its heap for huge pages and serves fio's buffer (1 MiB plus
	 * the 2 MiB {@code --iomem_align}) from that heap, so the buffer starts on a 2 MiB boundary
	 * inside one transparent huge page. With malloc's default the 1 MiB buffer was 256 pages
	 * wherever the guest had them: a run's 1 MiB reads went to the disk in as many segments as
	 * the pages lay apart (split in two past the disk's segment limit), and split reads are much
	 * slower and vary more (docs/probe-accuracy.md). Random 4k I/O uses one page either way.
	 */
	static final String HUGE_PAGE_HEAP = "GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=4194304";
	static final List<String> HUGE_PAGE_BUFFER = List.of("env", HUGE_PAGE_HEAP);
	static final String BUFFER_ALIGN = "--iomem_align=2m";
	private StorageCommands() {
	}

	static List<String> mkdirArgs(Place place) {
		return List.of("mkdir", "-p", place.dir());
	}

	/** The file and I/O options every fio run on this place shares, warm-up included. */
	private static List<String> fioFileArgs(Place place) {
		List<String> args = new ArrayList<>(HUGE_PAGE_BUFFER);
		args.addAll(List.of("fio", "--output-format=json", "--filename=" + place.dir() + "/virtwise-fio.dat",
				"--size=" + FILE_SIZE, "--ioengine=psync", BUFFER_ALIGN));
		if (place.direct()[0]) {
			args.add("--direct=1");
		}
		else {
			args.addAll(List.of("--direct=0", "--invalidate=1", "--end_fsync=1"));
		}
		return args;
	}

	/**
	 * A read job, so that fio writes the whole file before it starts: for a write job it only
	 * fallocates it, and random reads of never-written extents return zeros without touching the
	 * disk (ten times the disk's real IOPS).
	 */
	static List<String> warmUpArgs(Place place) {
		List<String> args = fioFileArgs(place);
		args.addAll(List.of("--runtime=" + WARM_UP_MS + "ms", "--time_based", "--name=warm-up", "--rw=randread", "--bs=4k"));
		return args;
	}

	/** The measured run: every job time-based, its ramp not counted, one job after the other. */
	static List<String> fioArgs(Place place, ProbePlan plan) {
		List<String> args = fioFileArgs(place);
		args.addAll(List.of("--ramp_time=" + plan.fio().rampMs() + "ms", "--runtime=" + plan.fio().runtimeMs() + "ms",
				"--time_based",
				"--name=randread", "--rw=randread", "--bs=4k", "--stonewall",
				"--name=randwrite", "--rw=randwrite", "--bs=4k", "--stonewall"));
		if (plan.sequential()) {
			args.addAll(List.of("--name=seqread", "--rw=read", "--bs=1m", "--stonewall",
					"--name=seqwrite", "--rw=write", "--bs=1m", "--stonewall"));
		}
		return args;
	}

	/**
	 * Creates and deletes the files inside one shell, timing each half with the container's
	 * clock; the sync after the timed part keeps its writeback out of the next measurement.
	 */
	static List<String> smallFileArgs(Place place) {
		String d = place.dir() + "/virtwise-small";
		long bytes = SMALL_FILES * 4096L;
		return List.of("sh", "-c", "d=" + d + "; rm -rf $d; mkdir -p $d; s=$(date +%s%N); head -c " + bytes
				+ " /dev/zero | split -b 4096 -a 4 - $d/f; m=$(date +%s%N); n=$(ls $d | wc -l); m2=$(date +%s%N); "
				+ "rm -rf $d; e=$(date +%s%N); sync; echo $n $((m-s)) $((e-m2))");
	}

	/** files/s from {@code "<files> <create ns> <delete ns>"}. */
	static double smallFileRate(String output) {
		String[] f = output.strip().split("\\s+");
		if (f.length != 3) {
			throw new ProbeOutputException("small-file run printed '" + output.strip() + "'");
		}
		long files;
		long nanos;
		try {
			files = Long.parseLong(f[0]);
			nanos = Long.parseLong(f[1]) + Long.parseLong(f[2]);
		}
		catch (NumberFormatException e) {
			throw new ProbeOutputException("small-file run printed '" + output.strip() + "'");
		}
		if (files != SMALL_FILES || nanos <= 0) {
			throw new ProbeOutputException("small-file run made " + files + " files of " + SMALL_FILES + " in " + nanos + " ns");
		}
		return files / (nanos / 1e9);
	}
}
