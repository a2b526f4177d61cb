package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.NumaNode;

class NumaReaderTest {

	@Test
	void firecrackerHasOneNode() {
		assertThat(new NumaReader(HostFixtures.firecracker()).read())
			.containsExactly(new NumaNode(0, List.of(0, 1), 4024524L, 3777724L));
	}

	@Test
	void twoSocketHostHasTwoInterleavedNodes() {
		assertThat(new NumaReader(HostFixtures.twoSocket()).read()).containsExactly(
				new NumaNode(0, List.of(0, 1, 2, 3, 8, 9, 10, 11), 65536000L, 30000000L),
				new NumaNode(1, List.of(4, 5, 6, 7, 12, 13, 14, 15), 65536000L, 31000000L));
	}

	@Test
	void aMemoryOnlyNodeHasNoCpusAndAnUnreadableMeminfoIsNull(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.TWO_SOCKET, tmp.resolve("host"));
		HostFixtures.write(root.resolve("sys/devices/system/node/node1/cpulist"), "\n");
		HostFixtures.delete(root.resolve("sys/devices/system/node/node1/meminfo"));

		assertThat(new NumaReader(HostRoots.under(root)).read().get(1))
			.isEqualTo(new NumaNode(1, List.of(), null, null));
	}

	@Test
	void noNodeDirectoryIsNull(@TempDir Path tmp) {
		assertThat(new NumaReader(HostRoots.under(tmp)).read()).isNull();
	}
}
