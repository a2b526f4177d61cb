package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.CacheInfo;

class CacheReaderTest {

	@Test
	void firecrackerHasPrivateL1L2AndASharedL3() {
		List<List<Integer>> perCpu = List.of(List.of(0), List.of(1));
		assertThat(new CacheReader(HostFixtures.firecracker()).read()).containsExactly(
				new CacheInfo(1, "Data", 48L, perCpu),
				new CacheInfo(1, "Instruction", 64L, perCpu),
				new CacheInfo(2, "Unified", 2048L, perCpu),
				new CacheInfo(3, "Unified", 491520L, List.of(List.of(0, 1))));
	}

	@Test
	void twoSocketHostSharesL1L2PerCoreAndL3PerSocket() {
		List<List<Integer>> perCore = List.of(List.of(0, 8), List.of(1, 9), List.of(2, 10), List.of(3, 11),
				List.of(4, 12), List.of(5, 13), List.of(6, 14), List.of(7, 15));
		assertThat(new CacheReader(HostFixtures.twoSocket()).read()).containsExactly(
				new CacheInfo(1, "Data", 32L, perCore),
				new CacheInfo(1, "Instruction", 32L, perCore),
				new CacheInfo(2, "Unified", 1024L, perCore),
				new CacheInfo(3, "Unified", 14080L,
						List.of(List.of(0, 1, 2, 3, 8, 9, 10, 11), List.of(4, 5, 6, 7, 12, 13, 14, 15))));
	}

	@Test
	void aGarbledSizeOrSharingListMakesOnlyThatPartUnknown(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.TWO_SOCKET, tmp.resolve("host"));
		HostFixtures.write(root.resolve("sys/devices/system/cpu/cpu5/cache/index3/size"), "lots");
		HostFixtures.delete(root.resolve("sys/devices/system/cpu/cpu5/cache/index0/shared_cpu_list"));

		List<CacheInfo> caches = new CacheReader(HostRoots.under(root)).read();

		assertThat(caches.get(0).sizeKb()).isEqualTo(32L);
		assertThat(caches.get(0).sharedBy()).isNull();
		assertThat(caches.get(3).sizeKb()).isNull();
		assertThat(caches.get(3).sharedBy()).hasSize(2);
	}
}
