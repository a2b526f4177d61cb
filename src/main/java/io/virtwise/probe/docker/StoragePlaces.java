package io.virtwise.probe.docker;

import static io.virtwise.probe.docker.StorageProbe.CPU;
import static io.virtwise.probe.docker.StorageProbe.PROBE;

import io.virtwise.facts.ProbePaths;
import io.virtwise.probe.core.ExecResult;
import io.virtwise.probe.core.Findings;
import io.virtwise.probe.core.ProbeTarget;
import io.virtwise.probe.core.Skipped;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the storage probe measures and what it leaves there: the host directory, the writable
 * layer, a bind mount and a volume, in the run's own containers or, with a target, in scratch
 * directories of the target's own mounts reached through a sidecar, and their removal.
 */
final class StoragePlaces {

	private static final String TARGET_FILES = "scratch directories in the target's mounts";

	/** Where a fresh volume of the run is mounted: the lab-wide run's, or a target's stand-in. */
	static final String SCRATCH_VOLUME = "/probe/volume";

	/** One place to measure: the container that reaches it, the directory, and how it was set up. */
	record Place(String path, String container, String dir, List<String> setup, boolean[] direct) {
	}

	private final ProbeSandbox sandbox;
	private final ProbeTarget target;
	private final Findings findings;
	private final boolean localEngine;
	private final String subject;

	StoragePlaces(ProbeSandbox sandbox, ProbeTarget target, Findings findings, boolean localEngine) {
		this.sandbox = sandbox;
		this.target = target;
		this.findings = findings;
		this.localEngine = localEngine;
		this.subject = target == null ? "lab" : target.name();
	}

	/** @param keep leave what is written into the target's own mounts (--keep); else it is removed on every exit path */
	List<Place> setUp(boolean keep) throws IOException {
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
		List<Place> made = java.util.Collections.synchronizedList(new ArrayList<>());   // read by the shutdown hook too
		if (target != null && !keep) {
			// registered after the sidecar, so it runs while the sidecar still exists (newest first)
			sandbox.undo(TARGET_FILES, () -> clean(List.copyOf(made)));
		}
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
			made.add(place);   // before the mkdir: a Ctrl-C during it still removes what it made
			ExecResult mk = sandbox.exec(place.container(), Duration.ofSeconds(10), StorageCommands.mkdirArgs(place));
			if (mk.ok()) {
				usable.add(place);
			}
			else {
				made.remove(place);
				findings.skip(new Skipped(PROBE, place.path(), null, "all", "cannot create " + place.dir() + ": "
						+ mk.firstErrorLine()));
			}
		}
		return usable;
	}

	/** Says which scratch directories in a target's own volumes stay; the next run's sweep wipes them. */
	void noteKept(List<Place> places) {
		List<String> kept = places.stream().map(Place::dir).filter(d -> d.contains("/.virtwise-probe-")).toList();
		if (!kept.isEmpty()) {
			findings.note("kept (--keep) in " + subject + "'s own mounts: " + String.join(", ", kept)
					+ " (seen from the sidecar; the next probe docker wipes them)");
		}
	}

	/** Removes what was written into the target's own mounts now, rather than when the run ends. */
	void clean() {
		sandbox.undoNow(TARGET_FILES);
	}

	/** Removes what we wrote into a target's own volumes; the sidecar itself goes with the sandbox. */
	private void clean(List<Place> places) {
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
}
