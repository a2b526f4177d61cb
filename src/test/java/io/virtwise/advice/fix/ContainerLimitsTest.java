package io.virtwise.advice.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import io.virtwise.facts.CpuFacts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.MemoryFacts;
import io.virtwise.facts.NumaNode;
import org.junit.jupiter.api.Test;

class ContainerLimitsTest {

	static List<Integer> range(int from, int to) {
		return IntStream.range(from, to).boxed().toList();
	}

	static HostFacts host(List<NumaNode> nodes, Integer threads, Long memoryKb) {
		return new HostFacts("h", threads == null ? null : new CpuFacts(null, null, 1, threads, threads, 1, null, null), nodes,
				null, memoryKb == null ? null : new MemoryFacts(memoryKb, null, null), null, null, null, null, null, null,
				null, null);
	}

	static GuestFacts guest(String name, Long memoryKb, List<Integer> pinned) {
		return new GuestFacts(name, null, "running", "kvm", 4, memoryKb, true, pinned, null);
	}

	static final HostFacts ONE_NODE = host(List.of(new NumaNode(0, range(0, 16), null, null)), 16, 32L << 20);

	@Test
	void theCpusNoGuestIsPinnedToAndAnEvenShareOfThemAndOfTheMemoryLeft() {
		ContainerLimits limits = ContainerLimits.share(ONE_NODE, List.of(guest("vm1", 8L << 20, List.of(0, 1, 2, 3))), 4, List.of());

		assertThat(limits.cpuset()).isEqualTo("4-15");
		assertThat(limits.node()).isNull();
		assertThat(limits.cpus()).isEqualTo(3.0);
		// (32 - 8) GiB, less a quarter, over 4 containers
		assertThat(limits.memoryBytes()).isEqualTo(4608L << 20);
		assertThat(limits.basis()).contains("12 CPUs no guest is pinned to", "8.0 GiB is theirs", "4 running containers");
	}

	@Test
	void unpinnedGuestsCountForMemoryButNotForCpus() {
		ContainerLimits limits = ContainerLimits.share(ONE_NODE,
				List.of(guest("vm1", 8L << 20, List.of(0, 1)), guest("vm2", 8L << 20, null), "not a guest"), 1, null);

		assertThat(limits.cpuset()).isEqualTo("2-15");
		assertThat(limits.cpus()).isEqualTo(14.0);
		assertThat(limits.memoryBytes()).isEqualTo(12L << 30);
	}

	@Test
	void onANumaHostTheCpusetStaysOnTheContainersNodeOrTheOneWithMostRoom() {
		HostFacts twoNodes = host(List.of(new NumaNode(0, range(0, 8), null, null), new NumaNode(1, range(8, 16), null, null)),
				16, null);
		List<GuestFacts> guests = List.of(guest("vm1", null, List.of(0, 1, 2, 3, 4, 5)));

		ContainerLimits onNode1 = ContainerLimits.share(twoNodes, guests, 2, List.of("9-10"));
		assertThat(onNode1.cpuset()).isEqualTo("8-15");
		assertThat(onNode1.node()).isEqualTo(1);
		assertThat(onNode1.memoryBytes()).isNull();
		assertThat(onNode1.basis()).contains("on NUMA node 1").doesNotContain("--memory");

		// no cpuset: the node with most free CPUs; a cpuset on a node with none free: the same
		assertThat(ContainerLimits.share(twoNodes, guests, 2, List.of()).cpuset()).isEqualTo("8-15");
		assertThat(ContainerLimits.share(twoNodes, List.of(guest("vm1", null, range(0, 8))), 2, List.of("0-3")).cpuset())
			.isEqualTo("8-15");
		// a tie goes to the lower node
		assertThat(ContainerLimits.share(twoNodes, List.of(), 2, null).cpuset()).isEqualTo("0-7");
	}

	@Test
	void theHostsCpusComeFromTheThreadCountWhenNodesAreUnknown() {
		assertThat(ContainerLimits.share(host(null, 8, null), List.of(guest("vm1", null, List.of(0))), 1, null).cpuset())
			.isEqualTo("1-7");
	}

	@Test
	void noLimitsWhenTheHostsCpusAreUnknownOrAllPinned() {
		assertThat(ContainerLimits.share(host(null, null, 1L << 20), List.of(), 1, null)).isNull();
		assertThat(ContainerLimits.share(ONE_NODE, List.of(guest("vm1", null, range(0, 16))), 1, null)).isNull();
		assertThat(ContainerLimits.share(null, List.of(), 1, null)).isNull();
	}

	@Test
	void aShareIsNeverBelowOneCpuAndNoMemoryShareWhenGuestsTakeItAll() {
		ContainerLimits limits = ContainerLimits.share(ONE_NODE, List.of(guest("vm1", 40L << 20, range(0, 14))), 5, null);

		assertThat(limits.cpus()).isEqualTo(1.0);
		assertThat(limits.memoryBytes()).isNull();
	}
}
