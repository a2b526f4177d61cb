package io.virtwise.probe.docker;

import io.virtwise.facts.Probes;
import io.virtwise.facts.ProbePaths;
import io.virtwise.facts.Metrics;
import io.virtwise.probe.core.Deadline;
import io.virtwise.probe.core.ExecResult;
import io.virtwise.probe.core.Findings;
import io.virtwise.probe.core.FioOutput;
import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.core.ProbeTarget;
import io.virtwise.probe.core.Skipped;
import io.virtwise.probe.core.Summary;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.virtwise.facts.DiskInfo;
import io.virtwise.facts.ProbeResult;
import io.virtwise.facts.ThpFacts;
import io.virtwise.host.DiskReader;
import io.virtwise.host.HostRoots;
import io.virtwise.host.ThpReader;

/**
 * fio 4k random and 1 MiB sequential I/O, small-file create/delete and overlay copy-up, on
 * each place a container can write to, compared with a plain host directory.
 *
 * <ul>
 * <li>{@code host-dir}: the baseline, a directory under /var/tmp (the same disk as Docker's
 * data root here) bind-mounted into a container without seccomp, so the same fio binary runs
 * as close to a host process as a container gets;</li>
 * <li>{@code writable-layer}: a directory inside an ordinary container, i.e. the overlay2 upper layer;</li>
 * <li>{@code bind-mount}: another host directory bind-mounted into that container;</li>
 * <li>{@code volume}: a named volume mounted into it: with a target, its first read-write volume, or a
 * fresh one of the run when it has none.</li>
 * </ul>
 * fio uses psync with O_DIRECT (overlayfs on this kernel accepts it); where a filesystem refuses
 * O_DIRECT the run falls back to buffered I/O with {@code --invalidate=1 --end_fsync=1}, and the
 * notes and the recorded command say so. Every path gets one short uncounted fio run first (it
 * lays out the test file and finds out whether O_DIRECT works); every measured job then runs
 * time-based for the plan's ramp (not counted) and runtime. The test file is 256 MiB, larger than
 * a virtual disk's own cache usually is, so random I/O reaches the disk.
 * fio asks for its I/O buffer in one transparent huge page ({@link #HUGE_PAGE_BUFFER}), so that a
 * 1 MiB direct read or write is one contiguous segment whatever the guest's free memory looks like;
 * the request sizes watched at the disk ({@link #readRequestNote}) show whether it was.
 */
public final class StorageProbe {

	public static final String PROBE = Probes.DOCKER_STORAGE;
	static final String FILE_SIZE = "256m";
	/** The warm-up's one job: long enough to lay out the file and show an O_DIRECT refusal. */
	static final int WARM_UP_MS = 100;
	static final int SMALL_FILES = 1000;
	static final int COPY_UP_MIB = 256;
	static final String CPU = "1";
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
	/** Where a fresh volume of the run is mounted: the lab-wide run's, or a target's stand-in. */
	static final String SCRATCH_VOLUME = "/probe/volume";

	/** One place to measure: the container that reaches it, the directory, and how it was set up. */
	record Place(String path, String container, String dir, List<String> setup, boolean[] direct) {
	}

	private final ProbeSandbox sandbox;
	private final ProbeTarget target;
	private final ProbePlan plan;
	private final Deadline deadline;
	private final ProbeProgress progress;
	private final Findings findings;
	private final boolean localEngine;
	private final String subject;

	StorageProbe(ProbeSandbox sandbox, ProbeTarget target, ProbePlan plan, Deadline deadline, ProbeProgress progress,
			Findings findings, boolean localEngine) {
		this.sandbox = sandbox;
		this.target = target;
		this.plan = plan;
		this.deadline = deadline;
		this.progress = progress;
		this.findings = findings;
		this.localEngine = localEngine;
		this.subject = target == null ? "lab" : target.name();
	}

	/** @param keepFiles leave the fio files and scratch directories for a by-hand rerun (--keep) */
	void run(boolean keepFiles) throws IOException {
		findings.note("storage: fio psync, " + FILE_SIZE.replace("m", " MiB") + " file, time-based jobs of " + plan.fio()
				+ " each, randread/randwrite 4k IOPS and seqread/seqwrite 1 MiB MB/s (10^6 bytes/s); median of "
				+ plan.storageReps() + " repetitions after one uncounted warm-up run per path; all on CPU " + CPU);
		findings.note("small-file-ops: files/s creating " + SMALL_FILES + " files of 4 KiB (split) and deleting them (rm -rf)");
		findings.note("copy-up-ms: first 4 KiB write into a " + COPY_UP_MIB + " MiB file from an image layer (the whole "
				+ "file is copied up and fsynced); baseline = the second write to the same file");
		List<Place> places = setUp();
		for (Place place : places) {
			warmUp(place);
		}
		noteDirectIo(places);
		Map<String, Map<String, List<Double>>> samples = new LinkedHashMap<>();
		List<String> metrics = plan.sequential() ? List.of(Metrics.RANDREAD_IOPS, Metrics.RANDWRITE_IOPS, Metrics.SEQREAD_MBPS, Metrics.SEQWRITE_MBPS)
				: List.of(Metrics.RANDREAD_IOPS, Metrics.RANDWRITE_IOPS);
		double fioRunSeconds = plan.fioRunSeconds();
		for (int rep = 1; rep <= plan.storageReps(); rep++) {
			for (Place place : places) {
				if (failed(place)) {
					continue;
				}
				if (!deadline.allows(fioRunSeconds)) {
					metrics.forEach(m -> findings.missedDeadline(PROBE, place.path(), null, m));
					continue;
				}
				progress.step("storage: fio on " + place.path() + " " + rep + "/" + plan.storageReps());
				try {
					Measured m = measure(place);
					FioOutput out = FioOutput.parse(m.result().stdout());
					Map<String, List<Double>> bucket = samples.computeIfAbsent(place.path(), k -> new LinkedHashMap<>());
					bucket.computeIfAbsent(Metrics.RANDREAD_IOPS, k -> new ArrayList<>()).add(out.require("randread").readIops());
					bucket.computeIfAbsent(Metrics.RANDWRITE_IOPS, k -> new ArrayList<>()).add(out.require("randwrite").writeIops());
					if (plan.sequential()) {
						bucket.computeIfAbsent(Metrics.SEQREAD_MBPS, k -> new ArrayList<>()).add(out.require("seqread").readBytesPerSecond() / 1e6);
						bucket.computeIfAbsent(Metrics.SEQWRITE_MBPS, k -> new ArrayList<>()).add(out.require("seqwrite").writeBytesPerSecond() / 1e6);
						if (m.readKib() != null) {
							readRequests.computeIfAbsent(place.path(), k -> new ArrayList<>()).add(m.readKib());
						}
					}
				}
				catch (RuntimeException e) {
					findings.skip(new Skipped(PROBE, place.path(), null, "fio", NetworkProbe.message(e)));
					markFailed(place);
				}
			}
		}
		String requests = readRequestNote(readRequests, StorageProbe::queueLimits);
		if (requests != null) {
			findings.note(requests);
		}
		// copy-up, then the small-file runs, after the fio runs and not between them: both leave metadata
		// and dirty pages for the journal and writeback, which would land in the next fio run otherwise.
		// Small files last: copy-up has a rule of its own, small files are one gap among others, so a
		// run that reaches its deadline loses small-file runs first
		ProbeResult copyUp = plan.copyUp() ? copyUp() : null;
		for (int rep = 1; rep <= plan.storageReps(); rep++) {
			for (Place place : places) {
				if (!place.path().equals(ProbePaths.BIND_MOUNT)) {
					smallFiles(place, samples, rep);
				}
			}
		}
		for (Place place : places) {
			Map<String, List<Double>> bucket = samples.getOrDefault(place.path(), Map.of());
			for (String metric : List.of(Metrics.RANDREAD_IOPS, Metrics.RANDWRITE_IOPS, Metrics.SEQREAD_MBPS, Metrics.SEQWRITE_MBPS, Metrics.SMALL_FILE_OPS)) {
				List<Double> values = bucket.get(metric);
				if (values == null || values.isEmpty()) {
					continue;
				}
				List<Double> base = samples.getOrDefault(ProbePaths.HOST_DIR, Map.of()).get(metric);
				Summary s = Summary.of(values);
				List<String> commands = new ArrayList<>(place.setup());
				commands.add(ProbeSandbox.execLine(place.container(), mkdirArgs(place)));
				if (metric.equals(Metrics.SMALL_FILE_OPS)) {
					commands.add(ProbeSandbox.execLine(place.container(), smallFileArgs(place)));
				}
				else {
					// the warm-up too, so that the commands replay the whole measurement
					commands.add(ProbeSandbox.execLine(place.container(), warmUpArgs(place)));
					commands.add(ProbeSandbox.execLine(place.container(), fioArgs(place)));
				}
				findings.add(ProbeResult.builder(PROBE, place.path(), subject, metric, unit(metric), s.median()).spread(s.min(), s.max())
					.repetitions(s.count()).baseline(base == null ? null : Summary.median(base)).commands(commands).build());
			}
		}
		if (keepFiles) {
			keptScratch(places);
		}
		else {
			cleanScratch(places);
		}
		if (copyUp != null) {
			findings.add(copyUp);
		}
	}

	private final Set<String> failedPaths = new HashSet<>();
	/** path -> per repetition, disk -> KiB per large read request (local engine, sequential plan) */
	private final Map<String, List<Map<String, Double>>> readRequests = new LinkedHashMap<>();

	/** One measured fio run and, when it was watched, the size of its large reads at each disk. */
	record Measured(ExecResult result, Map<String, Double> readKib) {
	}

	/**
	 * Runs the measured fio line; on an engine on this machine, with /proc/diskstats watched for the
	 * size the 1 MiB reads had at the disk ({@link ReadRequestSizes}).
	 */
	private Measured measure(Place place) {
		// buffered places read through the page cache: readahead, not fio's buffer, sizes their requests
		if (!localEngine || !plan.sequential() || !place.direct()[0]) {
			return new Measured(sandbox.exec(place.container(), Duration.ofSeconds(60), fioArgs(place)), null);
		}
		ReadRequestSizes sizes = ReadRequestSizes.watch(HostRoots.live());
		ExecResult result;
		try {
			result = sandbox.exec(place.container(), Duration.ofSeconds(60), fioArgs(place));
		}
		finally {
			sizes.close();
		}
		return new Measured(result, sizes.kibPerRequest());
	}

	/** Below this share of the largest request a disk takes (at most 1,024 KiB) a read counts as split. */
	static final double SPLIT_BELOW = 0.75;

	/**
	 * The note on the seqread figures: per path, the KiB per read request each repetition's 1 MiB
	 * reads had at the disk, the queue limits of the disks that took them, and, when some went
	 * split below what the disk takes, why and which paths' figures mix split and whole runs. Null
	 * when no large read was seen.
	 *
	 * @param limits a disk's queue limits (maxSegments, maxSectorsKb), either null when unknown
	 */
	static String readRequestNote(Map<String, List<Map<String, Double>>> byPath, Function<String, DiskInfo> limits) {
		Set<String> disks = new TreeSet<>();
		List<String> perPath = new ArrayList<>();
		List<String> mixed = new ArrayList<>();
		boolean anySplit = false;
		for (Map.Entry<String, List<Map<String, Double>>> e : byPath.entrySet()) {
			List<String> figures = new ArrayList<>();
			int split = 0;
			int whole = 0;
			for (Map<String, Double> rep : e.getValue()) {
				disks.addAll(rep.keySet());
				// on stacked devices (LVM on a disk) the most limited layer is where a read splits
				Double kib = rep.values().stream().min(Double::compare).orElse(null);
				figures.add(kib == null ? "-" : String.valueOf(Math.round(kib)));
				if (kib == null) {
					continue;
				}
				boolean splitHere = rep.entrySet().stream().anyMatch(d -> d.getValue() < SPLIT_BELOW * wholeKib(limits.apply(d.getKey())));
				split += splitHere ? 1 : 0;
				whole += splitHere ? 0 : 1;
			}
			anySplit |= split > 0;
			if (split > 0 && whole > 0) {
				mixed.add(e.getKey());
			}
			perPath.add(e.getKey() + " " + String.join(", ", figures));
		}
		if (disks.isEmpty()) {
			return null;
		}
		List<String> described = disks.stream().map(d -> d + queueLimits(limits.apply(d))).toList();
		StringBuilder note = new StringBuilder("seqread: the 1 MiB reads reached the disk as requests of (KiB, per repetition) ")
			.append(String.join("; ", perPath)).append(" (").append(String.join(", ", described)).append(')');
		if (anySplit) {
			note.append("; a 1 MiB direct read whose buffer did not get its huge page and whose 256 pages lie apart needs "
					+ "more segments than that and goes as two requests, which read 15-50% slower on the lab");
			if (!mixed.isEmpty()) {
				note.append(", so the seqread figures of ").append(String.join(", ", mixed)).append(" mix split and whole runs");
			}
		}
		return note.toString();
	}

	/** The largest request a 1 MiB read can reach this disk as: 1,024 KiB, or less where the queue takes less. */
	private static double wholeKib(DiskInfo disk) {
		return disk == null || disk.maxSectorsKb() == null ? 1024 : Math.min(1024, disk.maxSectorsKb());
	}

	private static String queueLimits(DiskInfo disk) {
		return disk == null || disk.requestLimits() == null ? "" : " takes up to " + disk.requestLimits() + " per request";
	}

	/** This machine's queue limits of a disk, null where unreadable. */
	private static DiskInfo queueLimits(String disk) {
		return new DiskReader(HostRoots.live()).read(disk);
	}

	private boolean failed(Place place) {
		return failedPaths.contains(place.path());
	}

	private void markFailed(Place place) {
		failedPaths.add(place.path());
	}

	static String unit(String metric) {
		return switch (metric) {
			case Metrics.RANDREAD_IOPS, Metrics.RANDWRITE_IOPS -> "IOPS";
			case Metrics.SEQREAD_MBPS, Metrics.SEQWRITE_MBPS -> "MB/s";
			case Metrics.SMALL_FILE_OPS -> "files/s";
			default -> "ms";
		};
	}

	private List<Place> setUp() throws IOException {
		List<Place> places = new ArrayList<>();
		if (!localEngine) {
			findings.skip(new Skipped(PROBE, ProbePaths.HOST_DIR, null, "all", "the engine is not on this machine: a host "
					+ "directory for the baseline would have to be on the engine's host"));
		}
		else {
			String hostDir = sandbox.tempDir("host-dir").toString();
			ProbeSandbox.Started nat = sandbox.run(sandbox.container("native", "sleep", "infinity")
				.securityOpt("seccomp=unconfined").cpus(CPU).mount(hostDir, "/probe/host-dir"));
			places.add(new Place(ProbePaths.HOST_DIR, nat.name(), "/probe/host-dir", List.of(nat.commandLine()), new boolean[] { true }));
		}
		DockerRun spec = sandbox.container("storage", "sleep", "infinity").cpus(CPU);
		String bindDir = null;
		String volumeDir = null;
		if (target == null) {
			if (localEngine) {
				spec = spec.mount(sandbox.tempDir("bind-mount").toString(), "/probe/bind-mount");
				bindDir = "/probe/bind-mount";
			}
			else {
				findings.skip(new Skipped(PROBE, ProbePaths.BIND_MOUNT, null, "all", "the engine is not on this machine"));
			}
			spec = spec.mount(sandbox.createVolume("volume"), SCRATCH_VOLUME);
			volumeDir = SCRATCH_VOLUME;
		}
		else {
			String scratch = "/.virtwise-probe-" + sandbox.runId().value();
			List<String> scratchDirs = new ArrayList<>();
			if (!target.writableBinds().isEmpty()) {
				bindDir = target.writableBinds().get(0) + scratch;
				scratchDirs.add(bindDir);
				target.writableBinds().stream().skip(1).forEach(d -> findings.skip(new Skipped(PROBE, ProbePaths.BIND_MOUNT, null,
						"bind mount " + d, "only the first read-write bind mount is probed")));
			}
			else {
				findings.skip(new Skipped(PROBE, ProbePaths.BIND_MOUNT, null, "all", target.name() + " has no read-write bind mount"));
			}
			if (!target.writableVolumes().isEmpty()) {
				volumeDir = target.writableVolumes().get(0) + scratch;
				scratchDirs.add(volumeDir);
				target.writableVolumes().stream().skip(1).forEach(d -> findings.skip(new Skipped(PROBE, ProbePaths.VOLUME, null,
						"volume at " + d, "only the first read-write volume is probed")));
			}
			else {
				// without it the writable layer has nothing to be compared with, and the advice would send
				// the user back to this very probe: a fresh volume on the same engine is what a fix would add
				findings.note("volume: " + target.name() + " has no read-write volume, so a fresh scratch volume of "
						+ "this run stands in for one, as the comparison for its writable layer");
				spec = spec.mount(sandbox.createVolume("volume"), SCRATCH_VOLUME);
				volumeDir = SCRATCH_VOLUME;
			}
			spec = spec.volumesFrom(target.name());
			if (!scratchDirs.isEmpty()) {
				// tells a later sweep what to wipe if this run dies before it cleans up
				spec = spec.label(ProbeSandbox.SCRATCH_LABEL, String.join(",", scratchDirs));
			}
		}
		ProbeSandbox.Started box = sandbox.run(spec);
		List<String> setup = List.of(box.commandLine());
		places.add(new Place(ProbePaths.WRITABLE_LAYER, box.name(), "/probe/writable-layer", setup, new boolean[] { true }));
		if (bindDir != null) {
			places.add(new Place(ProbePaths.BIND_MOUNT, box.name(), bindDir, setup, new boolean[] { true }));
		}
		if (volumeDir != null) {
			places.add(new Place(ProbePaths.VOLUME, box.name(), volumeDir, setup, new boolean[] { true }));
		}
		List<Place> usable = new ArrayList<>();
		for (Place place : places) {
			// a bind mount may be a single file (a socket, a config file): no directory to write in
			ExecResult mk = sandbox.exec(place.container(), Duration.ofSeconds(10), mkdirArgs(place));
			if (mk.ok()) {
				usable.add(place);
			}
			else {
				findings.skip(new Skipped(PROBE, place.path(), null, "all", "cannot create " + place.dir() + ": "
						+ mk.firstErrorLine()));
			}
		}
		return usable;
	}

	static List<String> mkdirArgs(Place place) {
		return List.of("mkdir", "-p", place.dir());
	}

	/** One uncounted run: lays out the file, touches memory, and finds out whether O_DIRECT works. */
	private void warmUp(Place place) {
		progress.step("storage: warm-up on " + place.path());
		try {
			FioOutput out = FioOutput.parse(sandbox.exec(place.container(), Duration.ofSeconds(60), warmUpArgs(place)).stdout());
			if (out.jobs().stream().anyMatch(j -> j.error() == EINVAL)) {
				place.direct()[0] = false;
				FioOutput.parse(sandbox.exec(place.container(), Duration.ofSeconds(60), warmUpArgs(place)).stdout()).require("warm-up");
			}
			else {
				out.require("warm-up");
			}
		}
		catch (RuntimeException e) {
			findings.skip(new Skipped(PROBE, place.path(), null, "fio", "warm-up failed: " + NetworkProbe.message(e)));
			markFailed(place);
		}
	}

	/**
	 * How fio's 1 MiB buffer was laid out: in a transparent huge page unless the host has them
	 * off, when 1 MiB reads may split and scatter more.
	 *
	 * @param thp this machine's THP modes, null when the engine is elsewhere or the kernel has none
	 */
	static String hugePageBufferNote(ThpFacts thp) {
		String how = "1 MiB I/O from a buffer asked to lie in one transparent huge page (" + HUGE_PAGE_HEAP
				+ " and " + BUFFER_ALIGN + "), so that each read or write can reach the disk as one segment";
		if (thp == null) {
			return how + " where the engine's host has transparent huge pages (always or madvise)";
		}
		if ("never".equals(thp.enabled())) {
			return "transparent huge pages are off on this host (enabled: never): fio's 1 MiB buffer is in 4 KiB pages, "
					+ "so 1 MiB reads may reach the disk split and the sequential figures scatter more";
		}
		String here = how + " (transparent huge pages here: " + thp.enabled() + ", defrag " + thp.defrag() + ")";
		// without defrag for madvised memory the fault takes a huge page only when one is free
		return "never".equals(thp.defrag()) ? here + "; with defrag never a huge page comes only when one is free, "
				+ "so the seqread request sizes say whether the reads went whole" : here;
	}

	/** What open(2) returns for O_DIRECT on a filesystem without it; fio reports it as the job's error. */
	static final int EINVAL = 22;

	/** Says for every path whether its figures bypass the page cache: buffered ones are not comparable. */
	private void noteDirectIo(List<Place> places) {
		List<String> direct = places.stream().filter(p -> !failed(p) && p.direct()[0]).map(Place::path).toList();
		List<String> buffered = places.stream().filter(p -> !failed(p) && !p.direct()[0]).map(Place::path).toList();
		if (!direct.isEmpty()) {
			findings.note("O_DIRECT (--direct=1) on " + String.join(", ", direct));
			if (plan.sequential()) {
				findings.note(hugePageBufferNote(localEngine ? new ThpReader(HostRoots.live()).read() : null));
			}
		}
		if (!buffered.isEmpty()) {
			findings.note("O_DIRECT refused on " + String.join(", ", buffered) + ": measured buffered with --direct=0 "
					+ "--invalidate=1 --end_fsync=1, so the page cache is in those figures");
		}
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
	List<String> fioArgs(Place place) {
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

	private void smallFiles(Place place, Map<String, Map<String, List<Double>>> samples, int rep) {
		if (failed(place)) {
			return;
		}
		if (!deadline.allows(ProbePlan.SMALL_FILES_RUN)) {
			findings.missedDeadline(PROBE, place.path(), null, Metrics.SMALL_FILE_OPS);
			return;
		}
		progress.step("storage: small files on " + place.path() + " " + rep + "/" + plan.storageReps());
		try {
			ExecResult r = sandbox.exec(place.container(), Duration.ofSeconds(60), smallFileArgs(place));
			if (!r.ok()) {
				throw new ProbeOutputException(r.firstErrorLine());
			}
			samples.computeIfAbsent(place.path(), k -> new LinkedHashMap<>())
				.computeIfAbsent(Metrics.SMALL_FILE_OPS, k -> new ArrayList<>()).add(smallFileRate(r.stdout()));
		}
		catch (RuntimeException e) {
			findings.skip(new Skipped(PROBE, place.path(), null, Metrics.SMALL_FILE_OPS, NetworkProbe.message(e)));
		}
	}

	/** Says which scratch directories in a target's own volumes stay; the next run's sweep wipes them. */
	private void keptScratch(List<Place> places) {
		List<String> kept = places.stream().map(Place::dir).filter(d -> d.contains("/.virtwise-probe-")).toList();
		if (!kept.isEmpty()) {
			findings.note("kept (--keep) in " + subject + "'s own mounts: " + String.join(", ", kept)
					+ " (seen from the sidecar; the next probe docker wipes them)");
		}
	}

	/** Removes what we wrote into a target's own volumes; the sidecar itself goes with the sandbox. */
	private void cleanScratch(List<Place> places) {
		if (target == null) {
			return;
		}
		for (Place place : places) {
			if (place.dir().contains("/.virtwise-probe-")) {
				try {
					sandbox.exec(place.container(), Duration.ofSeconds(30), List.of("rm", "-rf", place.dir()));
				}
				catch (RuntimeException e) {
					System.err.println("virtwise: could not remove " + place.dir() + ": " + e.getMessage());
				}
			}
		}
	}

	static final String COPY_UP_SCRIPT = "dd if=/dev/zero of=/tmp/virtwise-warm bs=1M count=16 status=none; "
			+ "rm -f /tmp/virtwise-warm; cat /data/big > /dev/null; "
			+ "s=$(date +%s%N); dd if=/dev/zero of=/data/big bs=4k count=1 conv=notrunc status=none; m=$(date +%s%N); "
			+ "dd if=/dev/zero of=/data/big bs=4k count=1 conv=notrunc status=none; e=$(date +%s%N); echo $((m-s)) $((e-m))";

	/**
	 * Builds an image whose top layer holds a 256 MiB file, then in fresh containers times the
	 * first write to it (overlay copies the whole file up) against the second. The lower file is
	 * read first, so every repetition copies from the page cache, not from a cold disk. Null when
	 * nothing was measured; the reason is among the skipped.
	 */
	private ProbeResult copyUp() {
		if (!deadline.allows(ProbePlan.COPY_UP_IMAGE + ProbePlan.COPY_UP_RUN)) {
			findings.missedDeadline(PROBE, ProbePaths.WRITABLE_LAYER, null, Metrics.COPY_UP_MS);
			return null;
		}
		progress.step("storage: building a " + COPY_UP_MIB + " MiB image layer");
		List<String> setup = new ArrayList<>();
		String image;
		try {
			DockerRun writer = sandbox.container("copyup-src", "sh", "-c", "mkdir -p /data && dd if=/dev/zero of=/data/big bs=1M count="
					+ COPY_UP_MIB + " status=none && sync").label(ProbeSandbox.ONE_SHOT, "true");
			ProbeSandbox.Started w = sandbox.run(writer);
			int code = sandbox.waitFor(w.id(), Duration.ofSeconds(60));
			if (code != 0) {
				throw new ProbeOutputException("writing the " + COPY_UP_MIB + " MiB file failed (exit " + code + ")");
			}
			sandbox.commit(w.id(), "copyup");
			image = "vwprobe-copyup:" + sandbox.runId().value();
			setup.add(w.commandLine());
			setup.add("docker wait " + w.name());
			setup.add(sandbox.commitLine(w.name(), "copyup"));
			sandbox.remove(w.id());
		}
		catch (RuntimeException e) {
			findings.skip(new Skipped(PROBE, ProbePaths.WRITABLE_LAYER, null, Metrics.COPY_UP_MS, NetworkProbe.message(e)));
			return null;
		}
		List<Double> first = new ArrayList<>();
		List<Double> later = new ArrayList<>();
		List<String> script = List.of("sh", "-c", COPY_UP_SCRIPT);
		String lastRunLine = null;
		String lastName = null;
		for (int rep = 1; rep <= plan.storageReps(); rep++) {
			if (!deadline.allows(ProbePlan.COPY_UP_RUN)) {
				findings.missedDeadline(PROBE, ProbePaths.WRITABLE_LAYER, null, Metrics.COPY_UP_MS);
				continue;
			}
			progress.step("storage: copy-up " + rep + "/" + plan.storageReps());
			try {
				DockerRun spec = DockerRun.of(sandbox.name("copyup-" + rep), sandbox.runId().labels(), image, "sleep", "infinity").cpus(CPU);
				ProbeSandbox.Started c = sandbox.run(spec);
				lastRunLine = c.commandLine();
				lastName = c.name();
				ExecResult r = sandbox.exec(c.name(), Duration.ofSeconds(60), script);
				sandbox.remove(c.id());
				String[] f = r.stdout().strip().split("\\s+");
				if (!r.ok() || f.length != 2) {
					throw new ProbeOutputException("copy-up run printed '" + r.stdout().strip() + "' " + r.firstErrorLine());
				}
				first.add(Long.parseLong(f[0]) / 1e6);
				later.add(Long.parseLong(f[1]) / 1e6);
			}
			catch (RuntimeException e) {
				findings.skip(new Skipped(PROBE, ProbePaths.WRITABLE_LAYER, null, Metrics.COPY_UP_MS, NetworkProbe.message(e)));
				break;
			}
		}
		if (first.isEmpty()) {
			return null;
		}
		Summary s = Summary.of(first);
		setup.add(lastRunLine);
		setup.add(ProbeSandbox.execLine(lastName, script));
		return ProbeResult.builder(PROBE, ProbePaths.WRITABLE_LAYER, subject, Metrics.COPY_UP_MS, "ms", s.median())
			.spread(s.min(), s.max()).repetitions(s.count()).baseline(Summary.median(later)).commands(setup).build();
	}
}
