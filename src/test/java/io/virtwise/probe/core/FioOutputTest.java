package io.virtwise.probe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FioOutputTest {

	@Test
	void readsFourStonewalledJobs() {
		FioOutput out = FioOutput.parse(ProbeFixtures.read("fio-4jobs-writable-layer.json"));
		assertThat(out.version()).isEqualTo("fio-3.33");
		assertThat(out.jobs()).extracting(FioOutput.Job::name).containsExactly("randread", "randwrite", "seqread", "seqwrite");
		assertThat(out.require("randread").readIops()).isGreaterThan(100);
		assertThat(out.require("randread").writeIops()).isZero();
		assertThat(out.require("randwrite").writeIops()).isGreaterThan(100);
		assertThat(out.require("seqread").readBytesPerSecond()).isGreaterThan(10e6);
		assertThat(out.require("seqwrite").writeBytesPerSecond()).isGreaterThan(10e6);
		assertThat(out.require("seqwrite").runtimeMs()).isBetween(150L, 400L);
	}

	@Test
	void aFailedJobGivesNoNumber() {
		FioOutput out = FioOutput.parse(ProbeFixtures.read("fio-error.json"));
		assertThatThrownBy(() -> out.require("randwrite")).isInstanceOf(ProbeOutputException.class)
			.hasMessage("fio job randwrite failed with error 1");
		assertThat(out.job("randwrite")).get().extracting(FioOutput.Job::error).isEqualTo(1);
	}

	@Test
	void notesBeforeTheJsonAreSkipped() {
		String json = "fio: note: both iodepth >= 1 and synchronous I/O engine are selected\n"
				+ ProbeFixtures.read("fio-4jobs-writable-layer.json");
		assertThat(FioOutput.parse(json).jobs()).hasSize(4);
	}

	@Test
	void garbageIsAnError() {
		assertThatThrownBy(() -> FioOutput.parse("fio: pid=0, err=1")).isInstanceOf(ProbeOutputException.class);
		assertThatThrownBy(() -> FioOutput.parse("{\"jobs\": []}")).isInstanceOf(ProbeOutputException.class);
		assertThatThrownBy(() -> FioOutput.parse("{\"jobs\": [")).isInstanceOf(ProbeOutputException.class);
	}
}
