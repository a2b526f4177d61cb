package io.virtwise.probe.docker;

import io.virtwise.facts.Probes;
import io.virtwise.facts.ProbePaths;
import io.virtwise.facts.Metrics;
import io.virtwise.probe.core.Skipped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a probe run will measure, cut down until its estimated duration fits the deadline.
 * The tools set the costs: sockperf 3.7 sleeps 2 s after connecting before every run, and fio
 * spends about 0.3 s starting and reaping every job. Each cut is reported as skipped, with the
 * estimate that forced it.
 *
 * <p>The budget arithmetic (estimates below, 5 s of the deadline kept for cleanup, about 2 s for
 * the sweep): a full {@code probe docker} has about 113 s; the network part keeps its 43 s (one
 * sockperf and iperf3 run per path, 5 paths, both placements), which leaves storage about 70 s.
 * Storage costs 21.3 s whatever fio's job length (setup and warm-up 3.9 s, 3 x 3 small-file runs,
 * copy-up image 3 s and 3 runs) plus 3 repetitions x 4 paths x 4 jobs = 48 fio jobs, each
 * ramp + runtime + 0.35 s. Jobs of a few seconds (0.5 s ramp + 2 s) would need 137 s, so the
 * full run gets the longest {@link #FIO_TIMINGS} step that fits: 0.25 s ramp + 0.25 s (62 s of
 * storage, 105 s in all). {@code --only storage} has the whole 113 s: 0.5 s ramp + 1 s (110 s),
 * or a shorter step when connecting and sweeping already took a share of it.
 * {@code --quick} has 25 s: 4 paths x 2 random jobs of 0.25 s ramp + 0.25 s, 2 repetitions
 * (24.7 s); longer jobs do not fit there, which is why accuracy is benchmarked on the full plan.
 * Where a step runs longer than its estimate the deadline cuts the last steps, small files first.
 */
public record ProbePlan(boolean network, boolean storage, int networkPaths, int networkReps, boolean crossCore,
		boolean throughput, int storageReps, boolean sequential, boolean copyUp, FioTiming fio,
		double estimateSeconds, List<Skipped> cuts) {

	/**
	 * One fio job's length: {@code --ramp_time} (run but not counted: caches, first touch of
	 * memory, the device's queue settle) then {@code --runtime}, time-based.
	 */
	public record FioTiming(int rampMs, int runtimeMs) {

		double jobSeconds() {
			return (rampMs + runtimeMs) / 1000.0 + FIO_JOB_OVERHEAD;
		}

		@Override
		public String toString() {
			return rampMs + " ms ramp + " + runtimeMs + " ms";
		}
	}

	/**
	 * Longest first: the shorter a job, the more its figure varies from run to run, so the plan
	 * takes the longest that fits (docs/probe-accuracy.md has the spreads).
	 */
	static final List<FioTiming> FIO_TIMINGS = List.of(new FioTiming(500, 2000), new FioTiming(500, 1000),
			new FioTiming(250, 500), new FioTiming(250, 250));

	/** Seconds per step on a small host; a slower one is caught by the deadline, which cuts the last steps. */
	static final double CONTAINER_START = 0.35;
	static final double SOCKPERF_RUN = 3.3;
	static final double IPERF_RUN = 0.4;
	static final double FIO_JOB_OVERHEAD = 0.35;
	/** mkdir, laying out the fio file and one short uncounted job, per path. */
	static final double WARM_UP = 0.1 + 2 * FIO_JOB_OVERHEAD;
	/** 1,000 files; twice as many overran the plan on a slow virtual disk. */
	static final double SMALL_FILES_RUN = 1.2;
	static final double COPY_UP_IMAGE = 3.0;
	static final double COPY_UP_RUN = 1.2;
	/** Also with --container: a target without a read-write volume gets a scratch one, never a fifth path. */
	static final int STORAGE_PATHS = 4;
	static final int SMALL_FILE_PATHS = 3;

	public ProbePlan {
		cuts = List.copyOf(cuts);
	}

	/**
	 * The largest plan within {@code budgetSeconds}, cutting in this order: network repetitions
	 * down to 1 (one sockperf run holds thousands of round trips), storage repetitions down to 3,
	 * fio job length down {@link #FIO_TIMINGS}, the cross-core placement, sequential fio jobs,
	 * throughput, copy-up, storage repetitions down to 1. Whatever still does not fit is cut at
	 * run time by the deadline.
	 */
	public static ProbePlan fit(boolean network, boolean storage, int networkPaths, int reps, boolean quick,
			double budgetSeconds) {
		ProbePlan plan = new ProbePlan(network, storage, networkPaths, reps, true, true, reps, true, true,
				FIO_TIMINGS.get(0), 0, List.of()).withEstimate();
		List<Skipped> cuts = new ArrayList<>();
		String why = "would not fit the " + Math.round(budgetSeconds) + " s left for measuring";
		while (network && plan.over(budgetSeconds) && plan.networkReps > 1) {
			plan = plan.copy(plan.networkReps - 1, plan.crossCore, plan.throughput, plan.storageReps, plan.sequential, plan.copyUp);
		}
		if (plan.networkReps < reps) {
			cuts.add(new Skipped(Probes.DOCKER_NETWORK, null, null, repetitions(plan.networkReps, reps) + " of every path",
					"budget: " + reps + " sockperf runs per path at about " + SOCKPERF_RUN
							+ " s each (sockperf pauses 2 s after connecting) " + why));
		}
		while (storage && plan.over(budgetSeconds) && plan.storageReps > Math.min(3, reps)) {
			plan = plan.copy(plan.networkReps, plan.crossCore, plan.throughput, plan.storageReps - 1, plan.sequential, plan.copyUp);
		}
		for (int i = 1; storage && plan.over(budgetSeconds) && i < FIO_TIMINGS.size(); i++) {
			plan = plan.withFio(FIO_TIMINGS.get(i));
		}
		if (network && plan.over(budgetSeconds) && plan.crossCore) {
			cuts.add(new Skipped(Probes.DOCKER_NETWORK, null, ProbePaths.CROSS_CORE, "all paths", "budget: " + why + "; same-core was kept"));
			plan = plan.copy(plan.networkReps, false, plan.throughput, plan.storageReps, plan.sequential, plan.copyUp);
		}
		if (storage && plan.over(budgetSeconds) && plan.sequential) {
			cuts.add(new Skipped(Probes.DOCKER_STORAGE, null, null, Metrics.SEQREAD_MBPS + ", " + Metrics.SEQWRITE_MBPS, "budget: " + why));
			plan = plan.copy(plan.networkReps, plan.crossCore, plan.throughput, plan.storageReps, false, plan.copyUp);
		}
		if (network && plan.over(budgetSeconds) && plan.throughput) {
			cuts.add(new Skipped(Probes.DOCKER_NETWORK, null, null, Metrics.TCP_THROUGHPUT, "budget: " + why));
			plan = plan.copy(plan.networkReps, plan.crossCore, false, plan.storageReps, plan.sequential, plan.copyUp);
		}
		if (storage && plan.over(budgetSeconds) && plan.copyUp) {
			cuts.add(new Skipped(Probes.DOCKER_STORAGE, ProbePaths.WRITABLE_LAYER, null, Metrics.COPY_UP_MS,
					"budget: building a " + StorageProbe.COPY_UP_MIB + " MiB image layer " + why));
			plan = plan.copy(plan.networkReps, plan.crossCore, plan.throughput, plan.storageReps, plan.sequential, false);
		}
		while (storage && plan.over(budgetSeconds) && plan.storageReps > 1) {
			plan = plan.copy(plan.networkReps, plan.crossCore, plan.throughput, plan.storageReps - 1, plan.sequential, plan.copyUp);
		}
		if (storage && plan.storageReps < reps) {
			cuts.add(new Skipped(Probes.DOCKER_STORAGE, null, null, repetitions(plan.storageReps, reps) + " of every measurement",
					"budget: " + why));
		}
		return new ProbePlan(plan.network, plan.storage, plan.networkPaths, plan.networkReps, plan.crossCore,
				plan.throughput, plan.storageReps, plan.sequential, plan.copyUp, plan.fio, plan.estimateSeconds, cuts);
	}

	private boolean over(double budgetSeconds) {
		return estimateSeconds > budgetSeconds;
	}

	private static String repetitions(int kept, int asked) {
		return kept + 1 == asked ? "repetition " + asked : "repetitions " + (kept + 1) + "-" + asked;
	}

	private ProbePlan copy(int netReps, boolean cross, boolean tput, int stoReps, boolean seq, boolean copy) {
		return new ProbePlan(network, storage, networkPaths, netReps, cross, tput, stoReps, seq, copy, fio, 0, cuts)
			.withEstimate();
	}

	private ProbePlan withFio(FioTiming timing) {
		return new ProbePlan(network, storage, networkPaths, networkReps, crossCore, throughput, storageReps, sequential,
				copyUp, timing, 0, cuts).withEstimate();
	}

	private ProbePlan withEstimate() {
		return new ProbePlan(network, storage, networkPaths, networkReps, crossCore, throughput, storageReps, sequential,
				copyUp, fio, networkSeconds() + storageSeconds(), cuts);
	}

	/** fio jobs per path and repetition: 4k random read and write, and 1 MiB sequential when planned. */
	int fioJobs() {
		return sequential ? 4 : 2;
	}

	/** One fio run on one path: all its jobs, stonewalled one after the other. */
	public double fioRunSeconds() {
		return fioJobs() * fio.jobSeconds();
	}

	public int placements() {
		return crossCore ? 2 : 1;
	}

	double networkSeconds() {
		if (!network) {
			return 0;
		}
		double setup = (2 + networkPaths * placements()) * CONTAINER_START;
		double perPlacement = networkReps * networkPaths * SOCKPERF_RUN
				+ (throughput ? (networkReps + 0.5) * networkPaths * IPERF_RUN : 0);
		return setup + placements() * perPlacement;
	}

	/** Containers, mkdir and warm-up on every storage path, before the first measured run. */
	static double storageSetupSeconds() {
		return 2 * CONTAINER_START + STORAGE_PATHS * WARM_UP;
	}

	/**
	 * The least the storage probe needs to be worth starting: its setup and one fio run on every
	 * path, so a figure has its baseline. With less left, starting it only spends the time in
	 * setting up and removing containers, and the run ends past its deadline.
	 */
	public double storageFirstRoundSeconds() {
		return storageSetupSeconds() + STORAGE_PATHS * fioRunSeconds();
	}

	double storageSeconds() {
		if (!storage) {
			return 0;
		}
		double setup = storageSetupSeconds();
		double perRep = STORAGE_PATHS * fioRunSeconds() + SMALL_FILE_PATHS * SMALL_FILES_RUN + (copyUp ? COPY_UP_RUN : 0);
		return setup + storageReps * perRep + (copyUp ? COPY_UP_IMAGE : 0);
	}

	/** Roughly how many progress steps the plan has. */
	public int steps() {
		int net = network ? placements() * networkPaths * (1 + networkReps * (throughput ? 2 : 1)) : 0;
		int sto = storage ? STORAGE_PATHS + storageReps * (STORAGE_PATHS + SMALL_FILE_PATHS + (copyUp ? 1 : 0)) + (copyUp ? 1 : 0) : 0;
		return net + sto + 1;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "network %s (%d paths x %d runs, %s, throughput %s), storage %s (%d reps, fio jobs %s, seq %s, copy-up %s), about %.0f s",
				network, networkPaths, networkReps, crossCore ? "both placements" : "same-core", throughput, storage,
				storageReps, fio, sequential, copyUp, estimateSeconds);
	}
}
