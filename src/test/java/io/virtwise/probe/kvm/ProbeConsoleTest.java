package io.virtwise.probe.kvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.virtwise.probe.core.FioOutput;
import io.virtwise.probe.core.ProbeOutputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeConsoleTest {

	/** Captured from a real TCG boot of the probe guest on libvirt 9.0.0 / QEMU 7.2 (CR LF line ends). */
	static String capturedLog() throws IOException {
		return Files.readString(Path.of("src/test/resources/fixtures/kvm-probe/console-tcg-4jobs.log"), StandardCharsets.ISO_8859_1);
	}

	@Test
	void parsesEveryJobOfARealConsoleLog() throws IOException {
		ProbeConsole console = ProbeConsole.parse(capturedLog());
		assertThat(console.reachedInit()).isTrue();
		assertThat(console.done()).isTrue();
		assertThat(console.errors()).isEmpty();
		assertThat(console.sections()).containsOnlyKeys("randread-qd1", "randwrite-qd1", "randread-qd32", "randwrite-qd32");
		FioOutput.Job read = console.job("randread-qd1");
		assertThat(read.readIops()).isGreaterThan(100);
		assertThat(read.writeIops()).isZero();
		assertThat(read.runtimeMs()).isPositive();
		FioOutput.Job write = console.job("randwrite-qd32");
		assertThat(write.writeIops()).isGreaterThan(100);
		assertThat(write.readIops()).isZero();
	}

	@Test
	void aRepeatedJobIsReadByRunWhileFioNamesItWithoutTheRun() throws IOException {
		// vw.fioreps marks each run job/run; fio's own job name stays the job's
		String log = capturedLog().replace("-BEGIN randread-qd1\r", "-BEGIN randread-qd1/1\r")
			.replace("-END randread-qd1\r", "-END randread-qd1/1\r");
		ProbeConsole console = ProbeConsole.parse(log);
		assertThat(console.sections()).containsKey("randread-qd1/1").doesNotContainKey("randread-qd1");
		assertThat(console.job("randread-qd1/1").readIops()).isGreaterThan(100);
	}

	@Test
	void aGuestCutOffMidJobHasInitButNoResultForThatJob() throws IOException {
		String log = capturedLog();
		String cut = log.substring(0, log.indexOf("VWPROBE-FIO-END randwrite-qd1"));
		ProbeConsole console = ProbeConsole.parse(cut);
		assertThat(console.reachedInit()).isTrue();
		assertThat(console.done()).isFalse();
		assertThat(console.sections()).containsOnlyKeys("randread-qd1");
		assertThat(console.startedJobs()).containsExactly("randread-qd1", "randwrite-qd1");
		assertThatThrownBy(() -> console.job("randwrite-qd1")).isInstanceOf(ProbeOutputException.class)
			.hasMessageContaining("randwrite-qd1");
	}

	@Test
	void kernelNoiseOnlyMeansInitWasNeverReached() {
		ProbeConsole console = ProbeConsole.parse("[    0.000000] Linux version 6.1.0\r\n[    1.2] Run /init as init process\r\n");
		assertThat(console.reachedInit()).isFalse();
		assertThat(console.sections()).isEmpty();
	}

	@Test
	void guestErrorsAreKept() {
		ProbeConsole console = ProbeConsole.parse("VWPROBE-INIT\r\nVWPROBE-ERROR no /dev/vda\r\nVWPROBE-DONE\r\n");
		assertThat(console.errors()).containsExactly("no /dev/vda");
		assertThat(console.done()).isTrue();
	}
}
