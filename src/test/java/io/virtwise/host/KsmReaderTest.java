package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.KsmFacts;

class KsmReaderTest {

	@Test
	void labHasKsmStopped() {
		assertThat(new KsmReader(HostRoots.under(ConntrackReaderTest.LAB)).read()).isEqualTo(new KsmFacts(0, 0L, 0L, 0L, 1));
	}

	@Test
	void mergingIsReadFromItsCounters(@TempDir Path tmp) {
		Path root = HostFixtures.copy(ConntrackReaderTest.LAB, tmp.resolve("host"));
		HostFixtures.write(root.resolve("sys/kernel/mm/ksm/run"), "1\n");
		HostFixtures.write(root.resolve("sys/kernel/mm/ksm/pages_shared"), "2048\n");
		HostFixtures.write(root.resolve("sys/kernel/mm/ksm/pages_sharing"), "180224\n");
		HostFixtures.write(root.resolve("sys/kernel/mm/ksm/full_scans"), "37\n");

		assertThat(new KsmReader(HostRoots.under(root)).read()).isEqualTo(new KsmFacts(1, 2048L, 180224L, 37L, 1));
	}

	@Test
	void aKernelWithoutKsmIsUnknownAndAGarbledCounterOnlyItself(@TempDir Path tmp) {
		assertThat(new KsmReader(HostRoots.under(tmp.resolve("none"))).read()).isNull();

		Path root = HostFixtures.copy(ConntrackReaderTest.LAB, tmp.resolve("host"));
		HostFixtures.write(root.resolve("sys/kernel/mm/ksm/pages_sharing"), "\n");
		assertThat(new KsmReader(HostRoots.under(root)).read()).isEqualTo(new KsmFacts(0, 0L, null, 0L, 1));
	}
}
