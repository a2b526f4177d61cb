package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GovernorReaderTest {

	@Test
	void firecrackerHasNoCpufreq() {
		assertThat(new GovernorReader(HostFixtures.firecracker()).read()).isNull();
	}

	@Test
	void twoSocketHostIsPowersaveEverywhere() {
		assertThat(new GovernorReader(HostFixtures.twoSocket()).read()).isEqualTo("powersave");
	}

	@Test
	void differingGovernorsAreMixed(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.TWO_SOCKET, tmp.resolve("host"));
		HostFixtures.write(root.resolve("sys/devices/system/cpu/cpu7/cpufreq/scaling_governor"), "performance\n");

		assertThat(new GovernorReader(HostRoots.under(root)).read()).isEqualTo("mixed(performance,powersave)");
	}
}
