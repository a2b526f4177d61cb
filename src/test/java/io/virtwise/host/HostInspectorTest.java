package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.CacheInfo;
import io.virtwise.facts.CpuFacts;
import io.virtwise.facts.DiskInfo;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.HugePagePool;
import io.virtwise.facts.KernelFacts;
import io.virtwise.facts.MemoryFacts;
import io.virtwise.facts.NicInfo;
import io.virtwise.facts.NumaNode;
import io.virtwise.facts.ThpFacts;
import io.virtwise.facts.VirtFacts;

class HostInspectorTest {

	@Test
	void firecrackerEndToEnd() {
		HostFacts host = new HostInspector(HostFixtures.firecracker()).inspect();

		List<List<Integer>> perCpu = List.of(List.of(0), List.of(1));
		assertThat(host).isEqualTo(new HostFacts("vm",
				new CpuFacts("Intel(R) Xeon(R) Processor", "GenuineIntel", 1, 2, 2, 1, perCpu, List.of("hypervisor")),
				List.of(new NumaNode(0, List.of(0, 1), 4024524L, 3777724L)),
				List.of(new CacheInfo(1, "Data", 48L, perCpu), new CacheInfo(1, "Instruction", 64L, perCpu),
						new CacheInfo(2, "Unified", 2048L, perCpu),
						new CacheInfo(3, "Unified", 491520L, List.of(List.of(0, 1)))),
				new MemoryFacts(24684084L, 24398484L, 0L),
				List.of(new HugePagePool(2048, 0L, 0L, 0L, 0L), new HugePagePool(1048576, 0L, 0L, 0L, 0L)),
				List.of(),
				new ThpFacts("madvise", "madvise"),
				null,
				new VirtFacts("none", true, true, "pvm", true, true, null, false),
				new KernelFacts("6.18.44-fc-v669", "hybrid", false),
				List.of(new DiskInfo("vda", true, "mq-deadline", 274877906944L, 254, 4096)),
				List.of(new NicInfo("eth0", "virtio_net", null, 1400, "up"), new NicInfo("ifb0", null, null, 1500, "down"),
						new NicInfo("ifb1", null, null, 1500, "down"))));
		assertThat(host.numaNodeCount()).isEqualTo(1);
		assertThat(host.hugePagesReservedKb()).isZero();
	}

	@Test
	void twoSocketEndToEnd() {
		HostFacts host = new HostInspector(HostFixtures.twoSocket()).inspect();

		assertThat(host.hostname()).isEqualTo("numa-host");
		assertThat(host.cpu().sockets()).isEqualTo(2);
		assertThat(host.cpu().threads()).isEqualTo(16);
		assertThat(host.cpu().siblings()).hasSize(8).first().isEqualTo(List.of(0, 8));
		assertThat(host.numaNodeCount()).isEqualTo(2);
		assertThat(host.numaNodes().get(1).cpus()).containsExactly(4, 5, 6, 7, 12, 13, 14, 15);
		assertThat(host.caches()).extracting(CacheInfo::level).containsExactly(1, 1, 2, 3);
		assertThat(host.memory()).isEqualTo(new MemoryFacts(131072000L, 98304000L, 8388604L));
		assertThat(host.hugePages()).containsExactly(new HugePagePool(2048, 1024L, 1000L, 10L, 0L));
		assertThat(host.hugePagesReservedKb()).isEqualTo(2097152L);
		assertThat(host.hugetlbfsMounts()).containsExactly("/dev/hugepages");
		assertThat(host.thp()).isEqualTo(new ThpFacts("always", "always"));
		assertThat(host.cpuGovernor()).isEqualTo("powersave");
		assertThat(host.virt()).isEqualTo(new VirtFacts("vmx", true, true, "intel", true, false, null, true));
		assertThat(host.kernel()).isEqualTo(new KernelFacts("6.8.0-45-generic", "2", true));
		assertThat(host.disks()).extracting(DiskInfo::name).containsExactly("dm-0", "nvme0n1", "sda");
		assertThat(host.nics()).extracting(NicInfo::name).containsExactly("eno1", "virbr0");
	}

	@Test
	void factsSurviveTheJsonRoundTrip() throws Exception {
		HostFacts host = new HostInspector(HostFixtures.twoSocket()).inspect();
		Facts facts = Facts.ofHost(host, "2025-01-01T00:00:00Z", "test");

		assertThat(FactsJson.parse(FactsJson.write(facts), "test").host()).isEqualTo(host);
	}

	@Test
	void damagedFilesLeaveOnlyTheirPartsUnknown(@TempDir Path tmp) throws Exception {
		Path root = HostFixtures.copy(HostFixtures.TWO_SOCKET, tmp.resolve("host"));
		HostFixtures.delete(root.resolve("proc/meminfo"));
		HostFixtures.delete(root.resolve("proc/sys/kernel/hostname"));
		HostFixtures.replaceWithDirectory(root.resolve("sys/kernel/mm/transparent_hugepage/enabled"));
		HostFixtures.write(root.resolve("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"), "abc\n");
		HostFixtures.replaceWithDirectory(root.resolve("proc/mounts"));
		HostFixtures.write(root.resolve("sys/class/net/eno1/speed"), "fast\n");
		HostFixtures.write(root.resolve("proc/sys/kernel/numa_balancing"), "\n");
		HostFixtures.write(root.resolve("sys/module/kvm_intel/parameters/nested"), "perhaps\n");
		HostFixtures.write(root.resolve("sys/devices/system/node/node0/cpulist"), "0-\n");

		HostFacts host = new HostInspector(HostRoots.under(root)).inspect();

		assertThat(host.memory()).isNull();
		assertThat(host.hostname()).isNull();
		assertThat(host.thp()).isEqualTo(new ThpFacts(null, "always"));
		assertThat(host.hugePages()).containsExactly(new HugePagePool(2048, null, 1000L, 10L, 0L));
		assertThat(host.hugePagesReservedKb()).isNull();
		assertThat(host.hugetlbfsMounts()).isNull();
		assertThat(host.kernel()).isEqualTo(new KernelFacts("6.8.0-45-generic", null, null));
		assertThat(host.nics().get(0)).isEqualTo(new NicInfo("eno1", "ixgbe", null, 1500, "up"));
		assertThat(host.virt().nestedEnabled()).isNull();
		assertThat(host.virt().kvmFlavour()).isEqualTo("intel");
		assertThat(host.numaNodes().get(0).cpus()).isNull();
		assertThat(host.numaNodes().get(0).memTotalKb()).isEqualTo(65536000L);
		// Untouched parts are intact.
		assertThat(host.cpu().threads()).isEqualTo(16);
		assertThat(host.caches()).hasSize(4);
		assertThat(host.cpuGovernor()).isEqualTo("powersave");
		assertThat(host.disks()).hasSize(3);
	}

	@Test
	void anEmptyTreeIsAllUnknown(@TempDir Path tmp) {
		HostFacts host = new HostInspector(HostRoots.under(tmp.resolve("nothing"))).inspect();

		assertThat(host).isEqualTo(
				new HostFacts(null, null, null, null, null, null, null, null, null, null, null, null, null));
	}

	@Test
	void modelFallbackOnlyFillsAMissingModel(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.FIRECRACKER, tmp.resolve("host"));
		HostFixtures.write(root.resolve("proc/cpuinfo"), "processor : 0\nBogoMIPS : 50.00\n\nprocessor : 1\n");

		CpuFacts filled = new HostInspector(HostRoots.under(root), () -> "Neoverse-N1").inspect().cpu();
		CpuFacts kept = new HostInspector(HostFixtures.firecracker(), () -> "Neoverse-N1").inspect().cpu();

		assertThat(filled.model()).isEqualTo("Neoverse-N1");
		assertThat(filled.threads()).isEqualTo(2);
		assertThat(filled.virtFlags()).isNull();
		assertThat(kept.model()).isEqualTo("Intel(R) Xeon(R) Processor");
	}

	@Test
	void aFailingModelFallbackLeavesTheModelUnknown(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.FIRECRACKER, tmp.resolve("host"));
		HostFixtures.delete(root.resolve("proc/cpuinfo"));

		HostFacts host = new HostInspector(HostRoots.under(root), () -> {
			throw new IllegalStateException("no native library");
		}).inspect();

		assertThat(host.cpu().model()).isNull();
		assertThat(host.cpu().threads()).isEqualTo(2);
	}

	@Test
	void oshiIdentityNeverThrows() {
		assertThatCode(OshiIdentity::cpuModel).doesNotThrowAnyException();
	}

	@Test
	void liveMachineHasAtLeastOneCpu() {
		assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux procfs");

		HostFacts host = HostInspector.live().inspect();

		assertThat(host.cpu()).isNotNull();
		assertThat(host.cpu().threads()).isNotNull().isGreaterThanOrEqualTo(1);
	}
}
