package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.virtwise.facts.NicInfo;

class NicReaderTest {

	@Test
	void firecrackerHasVirtioAndIfbButNoLoopback() {
		// eth0 reports speed -1 and ifb refuses to report one: both unknown.
		assertThat(new NicReader(HostFixtures.firecracker()).read()).containsExactly(
				new NicInfo("eth0", "virtio_net", null, 1400, "up"),
				new NicInfo("ifb0", null, null, 1500, "down"),
				new NicInfo("ifb1", null, null, 1500, "down"));
	}

	@Test
	void twoSocketHostHasATenGigIxgbePortAndABridge() {
		assertThat(new NicReader(HostFixtures.twoSocket()).read()).containsExactly(
				new NicInfo("eno1", "ixgbe", 10000, 1500, "up"),
				new NicInfo("virbr0", null, null, 1500, "down"));
	}
}
