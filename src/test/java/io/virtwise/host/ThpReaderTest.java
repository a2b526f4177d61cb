package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.ThpFacts;

class ThpReaderTest {

	@Test
	void firecrackerIsMadvise() {
		assertThat(new ThpReader(HostFixtures.firecracker()).read()).isEqualTo(new ThpFacts("madvise", "madvise"));
	}

	@Test
	void twoSocketHostIsAlways() {
		assertThat(new ThpReader(HostFixtures.twoSocket()).read()).isEqualTo(new ThpFacts("always", "always"));
	}

	@Test
	void noSelectionIsNull(@TempDir Path tmp) {
		HostFixtures.write(tmp.resolve("sys/kernel/mm/transparent_hugepage/enabled"), "always madvise never\n");
		HostFixtures.write(tmp.resolve("sys/kernel/mm/transparent_hugepage/defrag"), "[never]\n");

		assertThat(new ThpReader(HostRoots.under(tmp)).read()).isEqualTo(new ThpFacts(null, "never"));
		assertThat(new ThpReader(HostRoots.under(tmp.resolve("none"))).read()).isNull();
	}
}
