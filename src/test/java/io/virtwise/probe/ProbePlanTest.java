package io.virtwise.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbePlanTest {

	@Test
	void aGenerousBudgetKeepsEverything() {
		ProbePlan plan = ProbePlan.fit(true, true, 5, 5, false, 10_000);
		assertThat(plan.cuts()).isEmpty();
		assertThat(plan.networkReps()).isEqualTo(5);
		assertThat(plan.storageReps()).isEqualTo(5);
		assertThat(plan.crossCore()).isTrue();
		assertThat(plan.sequential()).isTrue();
		assertThat(plan.copyUp()).isTrue();
		assertThat(plan.throughput()).isTrue();
	}

	@Test
	void theFullDefaultFitsTwoMinutesByCuttingNetworkRepetitionsFirst() {
		ProbePlan plan = ProbePlan.fit(true, true, 5, 5, false, 112);
		assertThat(plan.estimateSeconds()).isLessThanOrEqualTo(112);
		assertThat(plan.networkReps()).isEqualTo(1);
		assertThat(plan.crossCore()).as("both placements survive the default budget").isTrue();
		assertThat(plan.storageReps()).isBetween(3, 5);
		assertThat(plan.cuts()).isNotEmpty().allSatisfy(c -> assertThat(c.reason()).startsWith("budget:"));
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
		assertThat(plan.fioRuntimeMs()).isEqualTo(100);
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
}
