package io.virtwise.shell.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.virtwise.facts.DiskInfo;
import io.virtwise.facts.HostFacts;
import io.virtwise.host.HostInspector;
import io.virtwise.host.HostRoots;

class HostViewTest {

	@Test
	void theLabDiskShowsItsQueueLimits() {
		HostFacts lab = new HostInspector(HostRoots.under(Path.of("src/test/resources/fixtures/host/firecracker-pvm"))).inspect();

		assertThat(new HostView(new Styler(false)).text(lab))
			.contains("rotational, scheduler mq-deadline, 256 GiB, requests up to 254 segments and 4096 KiB");
	}

	@Test
	void aQueueLimitAloneIsStillReadable() {
		assertThat(HostView.requestLimits(new DiskInfo("sda", true, "none", 1L, null, 512))).isEqualTo(", requests up to 512 KiB");
		assertThat(HostView.requestLimits(new DiskInfo("sda", true, "none", 1L, 168, null))).isEqualTo(", requests up to 168 segments");
		assertThat(HostView.requestLimits(new DiskInfo("sda", true, "none", 1L))).isEmpty();
	}
}
