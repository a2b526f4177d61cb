package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.MemoryFacts;

class MemoryReaderTest {

	@Test
	void firecracker() {
		assertThat(new MemoryReader(HostFixtures.firecracker()).read())
			.isEqualTo(new MemoryFacts(24684084L, 24398484L, 0L));
	}

	@Test
	void twoSocketHost() {
		assertThat(new MemoryReader(HostFixtures.twoSocket()).read())
			.isEqualTo(new MemoryFacts(131072000L, 98304000L, 8388604L));
	}

	@Test
	void aMissingLineIsNullNotZero(@TempDir Path tmp) {
		HostFixtures.write(tmp.resolve("proc/meminfo"), "MemTotal: 1000 kB\nSwapTotal: x kB\n");

		assertThat(new MemoryReader(HostRoots.under(tmp)).read()).isEqualTo(new MemoryFacts(1000L, null, null));
	}

	@Test
	void unreadableIsNull(@TempDir Path tmp) {
		assertThat(new MemoryReader(HostRoots.under(tmp)).read()).isNull();
	}
}
