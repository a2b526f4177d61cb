package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.KernelFacts;

class KernelReaderTest {

	@Test
	void firecrackerIsHybridCgroupsWithoutNumaBalancing() {
		assertThat(new KernelReader(HostFixtures.firecracker()).read())
			.isEqualTo(new KernelFacts("6.18.44-fc-v669", "hybrid", false));
	}

	@Test
	void twoSocketHostIsCgroup2WithNumaBalancing() {
		assertThat(new KernelReader(HostFixtures.twoSocket()).read())
			.isEqualTo(new KernelFacts("6.8.0-45-generic", "2", true));
	}

	@Test
	void cgroupVersions() {
		MountsReader.Mount v1 = new MountsReader.Mount("cgroup", "/sys/fs/cgroup/cpu", "cgroup");
		MountsReader.Mount v2Root = new MountsReader.Mount("cgroup2", "/sys/fs/cgroup", "cgroup2");
		MountsReader.Mount v2Unified = new MountsReader.Mount("cgroup2", "/sys/fs/cgroup/unified", "cgroup2");

		assertThat(KernelReader.cgroupVersion(List.of(v1))).isEqualTo("1");
		assertThat(KernelReader.cgroupVersion(List.of(v2Root))).isEqualTo("2");
		assertThat(KernelReader.cgroupVersion(List.of(v1, v2Unified))).isEqualTo("hybrid");
		assertThat(KernelReader.cgroupVersion(List.of())).isNull();
		assertThat(KernelReader.cgroupVersion(null)).isNull();
	}

	@Test
	void absentNumaBalancingIsNull(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.FIRECRACKER, tmp.resolve("host"));
		HostFixtures.delete(root.resolve("proc/sys/kernel/numa_balancing"));

		assertThat(new KernelReader(HostRoots.under(root)).read())
			.isEqualTo(new KernelFacts("6.18.44-fc-v669", "hybrid", null));
	}
}
