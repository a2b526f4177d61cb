package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.DiskInfo;

class DiskReaderTest {

	@Test
	void firecrackerHasOnlyVdaOnceLoopAndZramAreSkipped() {
		assertThat(new DiskReader(HostFixtures.firecracker()).read())
			.containsExactly(new DiskInfo("vda", true, "mq-deadline", 536870912L * 512, 254, 4096));
	}

	@Test
	void twoSocketHostHasNvmeSataAndDeviceMapper() {
		assertThat(new DiskReader(HostFixtures.twoSocket()).read()).containsExactly(
				new DiskInfo("dm-0", false, "none", 419430400L * 512),
				new DiskInfo("nvme0n1", false, "none", 1953525168L * 512),
				new DiskInfo("sda", true, "mq-deadline", 3907029168L * 512));
	}

	@Test
	void unreadableAttributesAreNull(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.TWO_SOCKET, tmp.resolve("host"));
		HostFixtures.delete(root.resolve("sys/block/sda/queue/rotational"));
		HostFixtures.write(root.resolve("sys/block/sda/size"), "-\n");

		assertThat(new DiskReader(HostRoots.under(root)).read())
			.contains(new DiskInfo("sda", null, "mq-deadline", null));
	}
}
