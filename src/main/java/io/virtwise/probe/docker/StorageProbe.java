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
import io.virtwise.probe.docker.StoragePlaces.Place;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.virtwise.facts.ProbeResult;
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
 * fio asks for its I/O buffer in one transparent huge page ({@link StorageCommands#HUGE_PAGE_BUFFER}), so that a
 * 1 MiB direct read or write is one contiguous segment whatever the guest's free memory looks like;
 * the request sizes watched at the disk ({@link SeqReadNotes#readRequestNote}) show whether it was.
 */
public final class StorageProbe {

	public static final String PROBE = Probes.DOCKER_STORAGE;
	static final int COPY_UP_MIB = 256;
	static final String CPU = "1";
	private final ProbeSandbox sandbox;
	private final ProbePlan plan;
	private final Deadline deadline;
	private final ProbeProgress progress;
	private final Findings findings;
	private final boolean localEngine;
	private final String subject;
	private final HostRoots roots;
	private final StoragePlaces places;

	/** @param roots this machine's /proc and /sys, read when the engine runs here */
	StorageProbe(ProbeSandbox sandbox, ProbeTarget target, ProbePlan plan, Deadline deadline, ProbeProgress progress,
			Findings findings, boolean localEngine, HostRoots roots) {
		this.sandbox = sandbox;
		this.roots = roots;
		this.places = new StoragePlaces(sandbox, target, findings, localEngine);
		this.plan = plan;
		this.deadline = deadline;
		this.progress = progress;
		this.findings = findings;
		this.localEngine = localEngine;
		this.subject = target == null ? "lab" : target.name();
	}

	/** @param keepFiles leave the fio files and scratch directories for a by-hand rerun (--keep) */
	void run(boolean keepFiles) throws IOException {
		findings.note("storage: fio psync, " + StorageCommands.FILE_SIZE.replace("m", " MiB") + " file, time-based jobs of " + plan.fio()
				+ " each, randread/randwrite 4k IOPS and seqread/seqwrite 1 MiB MB/s (10^6 bytes/s); median of "
				+ plan.storageReps() + " repetitions after one uncounted warm-up run per path; all on CPU " + CPU);
		findings.note("small-file-ops: files/s creating " + StorageCommands.SMALL_FILES + " files of 4 KiB (split) and deleting them (rm -rf)");
		findings.note("copy-up-ms: first 4 KiB write into a " + COPY_UP_MIB + " MiB file from an image layer (the whole "
				+ "file is copied up and fsynced); baseline = the second write to the same file");
		List<Place> places = this.places.setUp(keepFiles);
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
		String requests = SeqReadNotes.readRequestNote(readRequests, new DiskReader(roots)::read);
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
				commands.add(ProbeSandbox.execLine(place.container(), StorageCommands.mkdirArgs(place)));
				if (metric.equals(Metrics.SMALL_FILE_OPS)) {
					commands.add(ProbeSandbox.execLine(place.container(), StorageCommands.smallFileArgs(place)));
				}
				else {
					// the warm-up too, so that the commands replay the whole measurement
					commands.add(ProbeSandbox.execLine(place.container(), StorageCommands.warmUpArgs(place)));
					commands.add(ProbeSandbox.execLine(place.container(), StorageCommands.fioArgs(place, plan)));
				}
				findings.add(ProbeResult.builder(PROBE, place.path(), subject, metric, unit(metric), s.median()).spread(s.min(), s.max())
					.repetitions(s.count()).baseline(base == null ? null : Summary.median(base)).commands(commands).build());
			}
		}
		if (keepFiles) {
			this.places.noteKept(places);
		}
		else {
			this.places.clean();
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
			return new Measured(sandbox.exec(place.container(), Duration.ofSeconds(60), StorageCommands.fioArgs(place, plan)), null);
		}
		ReadRequestSizes sizes = ReadRequestSizes.watch(roots);
		ExecResult result;
		try {
			result = sandbox.exec(place.container(), Duration.ofSeconds(60), StorageCommands.fioArgs(place, plan));
		}
		finally {
			sizes.close();
		}
		return new Measured(result, sizes.kibPerRequest());
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

	/** One uncounted run: lays out the file, touches memory, and finds out whether O_DIRECT works. */
	private void warmUp(Place place) {
		progress.step("storage: warm-up on " + place.path());
		try {
			FioOutput out = FioOutput.parse(sandbox.exec(place.container(), Duration.ofSeconds(60), StorageCommands.warmUpArgs(place)).stdout());
			if (out.jobs().stream().anyMatch(j -> j.error() == EINVAL)) {
				place.direct()[0] = false;
				FioOutput.parse(sandbox.exec(place.container(), Duration.ofSeconds(60), StorageCommands.warmUpArgs(place)).stdout()).require("warm-up");
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

	/** What open(2) returns for O_DIRECT on a filesystem without it; fio reports it as the job's error. */
	static final int EINVAL = 22;

	/** Says for every path whether its figures bypass the page cache: buffered ones are not comparable. */
	private void noteDirectIo(List<Place> places) {
		List<String> direct = places.stream().filter(p -> !failed(p) && p.direct()[0]).map(Place::path).toList();
		List<String> buffered = places.stream().filter(p -> !failed(p) && !p.direct()[0]).map(Place::path).toList();
		if (!direct.isEmpty()) {
			findings.note("O_DIRECT (--direct=1) on " + String.join(", ", direct));
			if (plan.sequential()) {
				findings.note(SeqReadNotes.hugePageBufferNote(localEngine ? new ThpReader(roots).read() : null));
			}
		}
		if (!buffered.isEmpty()) {
			findings.note("O_DIRECT refused on " + String.join(", ", buffered) + ": measured buffered with --direct=0 "
					+ "--invalidate=1 --end_fsync=1, so the page cache is in those figures");
		}
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
			ExecResult r = sandbox.exec(place.container(), Duration.ofSeconds(60), StorageCommands.smallFileArgs(place));
			if (!r.ok()) {
				throw new ProbeOutputException(r.firstErrorLine());
			}
			samples.computeIfAbsent(place.path(), k -> new LinkedHashMap<>())
				.computeIfAbsent(Metrics.SMALL_FILE_OPS, k -> new ArrayList<>()).add(StorageCommands.smallFileRate(r.stdout()));
		}
		catch (RuntimeException e) {
			findings.skip(new Skipped(PROBE, place.path(), null, Metrics.SMALL_FILE_OPS, NetworkProbe.message(e)));
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
