package io.virtwise.probe.core;

import io.virtwise.probe.docker.ProbeSandbox;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RunIdTest {

	@Test
	void encodesStartAndPid() {
		RunId id = RunId.create();
		RunId parsed = RunId.parse(id.value()).orElseThrow();
		assertThat(parsed.pid()).isEqualTo(ProcessHandle.current().pid());
		assertThat(parsed.started()).isEqualTo(id.started());
		assertThat(id.labels()).containsEntry(RunId.LABEL, id.value()).containsKey(RunId.HOST_LABEL);
	}

	@Test
	void leftoversAreDeadRunsNeverTheCurrentOneNorALiveOne() {
		RunId me = RunId.create();
		Instant now = Instant.now();
		String host = RunId.hostname();
		assertThat(me.isLeftover(me.value(), host, now)).isFalse();
		// another run of this very process, still going on: not swept; once it has finished, swept
		RunId other = RunId.create();
		assertThat(other.value()).isNotEqualTo(me.value());
		assertThat(me.isLeftover(other.value(), host, now)).isFalse();
		other.finished();
		assertThat(me.isLeftover(other.value(), host, now)).isTrue();
		// a run of this process that it does not know (the pid reused after a restart): swept
		String unknown = Long.toString(now.getEpochSecond() - 1, 36) + "-" + ProcessHandle.current().pid();
		assertThat(me.isLeftover(unknown, host, now)).isTrue();
		// a pid that does not exist: the run was killed
		String dead = Long.toString(now.getEpochSecond() - 1, 36) + "-" + 999_999_999L;
		assertThat(me.isLeftover(dead, host, now)).isTrue();
		// from another machine sharing the engine: only age tells
		assertThat(me.isLeftover(dead, "other-host", now)).isFalse();
		String old = Long.toString(now.minus(Duration.ofHours(1)).getEpochSecond(), 36) + "-" + ProcessHandle.current().pid();
		assertThat(me.isLeftover(old, "other-host", now)).isTrue();
		// our label key with a value we cannot read: ours, and broken
		assertThat(me.isLeftover("manual", host, now)).isTrue();
	}

	@Test
	void onlyDirectoriesNamedExactlyLikeOursMatch() {
		assertThat(ProbeSandbox.TEMP_NAME.matcher("vwprobe-tp1ynv-23519-host-dir").matches()).isTrue();
		assertThat(ProbeSandbox.TEMP_NAME.matcher("virtwise-probe-root.Pf7RmL").matches()).isFalse();
		assertThat(ProbeSandbox.TEMP_NAME.matcher("vwprobe-root.Pf7RmL").matches()).isFalse();
		assertThat(ProbeSandbox.TEMP_NAME.matcher("vw-kvm-cap.OMK7aV").matches()).isFalse();
	}
}
