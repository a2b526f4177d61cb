package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.HugePagePool;

class HugePagesReaderTest {

	@Test
	void firecrackerHasTwoEmptyPoolsAndNoHugetlbfs() {
		HugePagesReader reader = new HugePagesReader(HostFixtures.firecracker());

		assertThat(reader.pools()).containsExactly(new HugePagePool(2048, 0L, 0L, 0L, 0L),
				new HugePagePool(1048576, 0L, 0L, 0L, 0L));
		assertThat(reader.hugetlbfsMounts()).isEmpty();
	}

	@Test
	void twoSocketHostReservedOneThousandAndTwentyFourPages() {
		HugePagesReader reader = new HugePagesReader(HostFixtures.twoSocket());

		assertThat(reader.pools()).containsExactly(new HugePagePool(2048, 1024L, 1000L, 10L, 0L));
		assertThat(reader.hugetlbfsMounts()).containsExactly("/dev/hugepages");
	}

	@Test
	void garbageCountIsNullAndTheOthersStay(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.TWO_SOCKET, tmp.resolve("host"));
		HostFixtures.write(root.resolve("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"), "abc\n");

		assertThat(new HugePagesReader(HostRoots.under(root)).pools())
			.containsExactly(new HugePagePool(2048, null, 1000L, 10L, 0L));
	}

	@Test
	void escapedMountPointsAreDecoded(@TempDir Path tmp) {
		HostFixtures.write(tmp.resolve("proc/mounts"), "none /mnt/huge\\040pages hugetlbfs rw,pagesize=1G 0 0\n");

		assertThat(new HugePagesReader(HostRoots.under(tmp)).hugetlbfsMounts()).containsExactly("/mnt/huge pages");
	}

	@Test
	void unreadableIsNull(@TempDir Path tmp) {
		HugePagesReader reader = new HugePagesReader(HostRoots.under(tmp));

		assertThat(reader.pools()).isNull();
		assertThat(reader.hugetlbfsMounts()).isNull();
	}
}
