package io.virtwise.probe.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console is a file the test writes; the domain's liveness and QEMU's pid file are the test's too. */
class ProbeConsoleFollowerTest {

	@TempDir
	Path dir;

	@Test
	void passesEachLineWithTheQemuPidUntilDone() throws IOException {
		Path console = Files.writeString(dir.resolve("console.log"), "Linux version 6.1\r\n" + ProbeConsole.INIT + "\nfio ran\n"
				+ ProbeConsole.DONE + "\nafter done\n");
		Files.writeString(dir.resolve("vm.pid"), "4242\n");
		List<String> seen = new ArrayList<>();
		new ProbeConsoleFollower(dir.resolve("vm.pid"), () -> true, 60).follow(console, 30, (line, pid) -> seen.add(pid + " " + line));
		assertThat(seen).containsExactly("4242 Linux version 6.1", "4242 " + ProbeConsole.INIT, "4242 fio ran");
	}

	@Test
	void aKernelPanicFailsAtOnceWithThePanicLine() throws IOException {
		Path console = Files.writeString(dir.resolve("console.log"),
				"[ 0.9] Kernel panic - not syncing: No working init found.\n");
		assertThatThrownBy(() -> new ProbeConsoleFollower(dir.resolve("none.pid"), () -> true, 60).follow(console, 30, (l, p) -> {
		})).hasMessage("the probe guest's kernel panicked before reaching its init: Kernel panic - not syncing: No working init found.");
	}

	@Test
	void aGuestThatStopsAfterItsInitSaysSoWithTheLastLines() throws IOException {
		Path console = Files.writeString(dir.resolve("console.log"), ProbeConsole.INIT + "\none\ntwo\nthree\n");
		assertThatThrownBy(() -> new ProbeConsoleFollower(dir.resolve("none.pid"), () -> false, 60).follow(console, 30, (l, p) -> {
		})).hasMessage("the probe guest stopped before finishing its work (last console lines: one | two | three)");
	}
}
