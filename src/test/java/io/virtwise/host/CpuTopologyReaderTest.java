package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.CpuFacts;

class CpuTopologyReaderTest {

	@Test
	void firecrackerHasTwoSingleThreadedCoresUnderAHypervisor() {
		CpuFacts cpu = new CpuTopologyReader(HostFixtures.firecracker()).read();

		assertThat(cpu).isEqualTo(new CpuFacts("Intel(R) Xeon(R) Processor", "GenuineIntel", 1, 2, 2, 1,
				List.of(List.of(0), List.of(1)), List.of("hypervisor")));
	}

	@Test
	void twoSocketHostPairsSiblingsNAndNPlus8() {
		CpuFacts cpu = new CpuTopologyReader(HostFixtures.twoSocket()).read();

		assertThat(cpu.model()).isEqualTo("Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz");
		assertThat(cpu.vendor()).isEqualTo("GenuineIntel");
		assertThat(cpu.sockets()).isEqualTo(2);
		assertThat(cpu.cores()).isEqualTo(8);
		assertThat(cpu.threads()).isEqualTo(16);
		assertThat(cpu.threadsPerCore()).isEqualTo(2);
		assertThat(cpu.siblings()).containsExactly(List.of(0, 8), List.of(1, 9), List.of(2, 10), List.of(3, 11),
				List.of(4, 12), List.of(5, 13), List.of(6, 14), List.of(7, 15));
		assertThat(cpu.virtFlags()).containsExactly("vmx");
	}

	@Test
	void withoutSysfsTopologyTheCountsComeFromCpuinfo(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.TWO_SOCKET, tmp.resolve("host"));
		for (int cpu = 0; cpu < 16; cpu++) {
			Path topology = root.resolve("sys/devices/system/cpu/cpu" + cpu + "/topology");
			for (String f : List.of("physical_package_id", "core_id", "thread_siblings_list")) {
				HostFixtures.delete(topology.resolve(f));
			}
			HostFixtures.delete(topology);
		}

		CpuFacts cpu = new CpuTopologyReader(HostRoots.under(root)).read();

		assertThat(cpu.threads()).isEqualTo(16);
		assertThat(cpu.sockets()).isEqualTo(2);
		assertThat(cpu.cores()).isEqualTo(8);
		assertThat(cpu.threadsPerCore()).isEqualTo(2);
		assertThat(cpu.siblings()).startsWith(List.of(0, 8), List.of(1, 9));
	}

	@Test
	void missingSiblingListsFallBackToPackageAndCore(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.TWO_SOCKET, tmp.resolve("host"));
		HostFixtures.write(root.resolve("sys/devices/system/cpu/cpu3/topology/thread_siblings_list"), "garbage");

		CpuFacts cpu = new CpuTopologyReader(HostRoots.under(root)).read();

		assertThat(cpu.siblings()).hasSize(8).contains(List.of(3, 11));
	}

	@Test
	void nothingReadableIsNull(@TempDir Path tmp) {
		assertThat(new CpuTopologyReader(HostRoots.under(tmp)).read()).isNull();
	}
}
