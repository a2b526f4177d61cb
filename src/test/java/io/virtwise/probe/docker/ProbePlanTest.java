package io.virtwise.probe.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProbePlanTest {

	@Test
	void aGenerousBudgetKeepsEverythingWithJobsOfAFewSeconds() {
		ProbePlan plan = ProbePlan.fit(true, true, 5, 5, false, 10_000);
		assertThat(plan.cuts()).isEmpty();
		assertThat(plan.networkReps()).isEqualTo(5);
		assertThat(plan.storageReps()).isEqualTo(5);
		assertThat(plan.crossCore()).isTrue();
		assertThat(plan.sequential()).isTrue();
		assertThat(plan.copyUp()).isTrue();
		assertThat(plan.throughput()).isTrue();
		assertThat(plan.fio()).isEqualTo(new ProbePlan.FioTiming(500, 2000));
	}

	@Test
	void theFullDefaultFitsTwoMinutesKeepingTheNetworkPartAndShorteningFioJobs() {
		ProbePlan plan = ProbePlan.fit(true, true, 5, 5, false, 112);
		assertThat(plan.estimateSeconds()).isLessThanOrEqualTo(112);
		// the network part as before: one run per path, both placements, throughput: 43.2 s
		assertThat(plan.networkReps()).isEqualTo(1);
		assertThat(plan.crossCore()).as("both placements survive the default budget").isTrue();
		assertThat(plan.throughput()).isTrue();
		assertThat(plan.networkSeconds()).isCloseTo(43.2, within(1e-9));
		// storage: 3 repetitions of everything; 48 fio jobs of 0.25 s ramp + 0.25 s + 0.35 s overhead
		assertThat(plan.storageReps()).isEqualTo(3);
		assertThat(plan.sequential()).isTrue();
		assertThat(plan.copyUp()).isTrue();
		assertThat(plan.fio()).isEqualTo(new ProbePlan.FioTiming(250, 250));
		assertThat(plan.storageSeconds()).isCloseTo(21.3 + 48 * 0.85, within(1e-9));
		assertThat(plan.cuts()).isNotEmpty().allSatisfy(c -> assertThat(c.reason()).startsWith("budget:"));
	}

	@Test
	void storageAloneGetsTheWholeBudgetAndLongerJobs() {
		ProbePlan plan = ProbePlan.fit(false, true, 0, 5, false, 113);
		assertThat(plan.storageReps()).isEqualTo(3);
		assertThat(plan.fio()).isEqualTo(new ProbePlan.FioTiming(500, 1000));
		assertThat(plan.sequential()).isTrue();
		assertThat(plan.copyUp()).isTrue();
		assertThat(plan.estimateSeconds()).isCloseTo(21.3 + 48 * 1.85, within(1e-9)).isLessThanOrEqualTo(113);
	}

	@Test
	void jobsOfAFewSecondsDoNotFitTwoMinutesWithThreeRepetitions() {
		// 3 repetitions x 4 paths x 4 jobs of 0.5 s ramp + 2 s + 0.35 s: why the plan shortens them
		ProbePlan longest = ProbePlan.fit(false, true, 0, 3, false, 10_000);
		assertThat(longest.fio()).isEqualTo(ProbePlan.FIO_TIMINGS.get(0));
		assertThat(longest.storageReps() * ProbePlan.STORAGE_PATHS * longest.fioRunSeconds()).isCloseTo(136.8, within(1e-9));
		assertThat(longest.estimateSeconds()).isGreaterThan(120);
	}

	@Test
	void theJobLengthIsShortenedBeforeAnythingIsDropped() {
		ProbePlan plan = ProbePlan.fit(false, true, 0, 3, false, 80);
		assertThat(plan.fio()).isEqualTo(new ProbePlan.FioTiming(250, 500));
		assertThat(plan.cuts()).isEmpty();
	}

	@Test
	void quickNetworkAloneKeepsSameCoreAndSaysCrossCoreWasCut() {
		ProbePlan plan = ProbePlan.fit(true, false, 5, 3, true, 25);
		assertThat(plan.estimateSeconds()).isLessThanOrEqualTo(25);
		assertThat(plan.crossCore()).isFalse();
		assertThat(plan.networkReps()).isEqualTo(1);
		assertThat(plan.cuts()).anySatisfy(c -> assertThat(c.placement()).isEqualTo("cross-core"));
	}

	@Test
	void quickStorageAloneDropsSequentialAndCopyUpBeforeRepetitions() {
		ProbePlan plan = ProbePlan.fit(false, true, 0, 3, true, 25);
		assertThat(plan.estimateSeconds()).isLessThanOrEqualTo(25);
		assertThat(plan.sequential()).isFalse();
		assertThat(plan.copyUp()).isFalse();
		assertThat(plan.fio()).isEqualTo(ProbePlan.FIO_TIMINGS.get(ProbePlan.FIO_TIMINGS.size() - 1));
		// 4 paths x 2 random jobs of 0.85 s, 2 repetitions, and the small-file runs
		assertThat(plan.storageReps()).isEqualTo(2);
	}

	@Test
	void cutsStopAtOneRepetitionAndLeaveTheRestToTheDeadline() {
		ProbePlan plan = ProbePlan.fit(true, true, 5, 3, true, 1);
		assertThat(plan.networkReps()).isEqualTo(1);
		assertThat(plan.storageReps()).isEqualTo(1);
		assertThat(plan.estimateSeconds()).isGreaterThan(1);
	}

	@Test
	void stepsCountEveryMeasuredRun() {
		ProbePlan plan = ProbePlan.fit(true, false, 5, 2, false, 10_000);
		// 2 placements x 5 paths x (server start + 2 runs x (latency + throughput)) + cleanup
		assertThat(plan.steps()).isEqualTo(51);
	}

	@Test
	void storageIsOnlyWorthStartingWithTimeForItsSetupAndOneRunOnEveryPath() {
		ProbePlan quick = ProbePlan.fit(true, true, 5, 3, true, 25);
		// 2 containers x 0.35 + 4 warm-ups x 0.8, then 4 paths x 2 random jobs of 0.25 + 0.25 + 0.35 s
		assertThat(quick.storageFirstRoundSeconds()).isCloseTo(0.7 + 3.2 + 6.8, within(1e-9));
		// under load the quick network part took 21 s of its 25: 4 s left is not a storage round
		assertThat(quick.storageFirstRoundSeconds()).isGreaterThan(4);
		ProbePlan full = ProbePlan.fit(true, true, 5, 3, false, 112);
		assertThat(full.storageFirstRoundSeconds()).isCloseTo(3.9 + 4 * full.fioRunSeconds(), within(1e-9));
	}
}
