package io.virtwise.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CpuSetsTest {

	static final List<NumaNode> TWO_NODES = List.of(new NumaNode(0, List.of(0, 1, 2, 3, 8, 9, 10, 11), null, null),
			new NumaNode(1, List.of(4, 5, 6, 7, 12, 13, 14, 15), null, null));

	@Test
	void parsesRangesSinglesAndCommaListsAsDockerWritesThem() {
		assertThat(CpuSets.parse(List.of("0-3", "8"))).containsExactly(0, 1, 2, 3, 8);
		assertThat(CpuSets.parse(List.of("0-2,8, 10-11"))).containsExactly(0, 1, 2, 8, 10, 11);
		assertThat(CpuSets.parse(List.of(" 5 "))).containsExactly(5);
	}

	@Test
	void emptyCpusetMeansNoCpusNamed() {
		assertThat(CpuSets.parse(List.of(""))).isEmpty();
		assertThat(CpuSets.parse(List.of())).isEmpty();
	}

	@Test
	void malformedOrMissingInputIsUnknown() {
		assertThat(CpuSets.parse(null)).isNull();
		assertThat(CpuSets.parse(List.of("0-x"))).isNull();
		assertThat(CpuSets.parse(List.of("3-1"))).isNull();
		assertThat(CpuSets.parse(List.of("-1"))).isNull();
		assertThat(CpuSets.parse(Arrays.asList("0", null))).isNull();
	}

	@Test
	void nodesOfFindsEveryNodeTouched() {
		assertThat(CpuSets.nodesOf(List.of(0, 1), TWO_NODES)).containsExactly(0);
		assertThat(CpuSets.nodesOf(List.of(3, 4), TWO_NODES)).containsExactly(0, 1);
		assertThat(CpuSets.nodesOf(List.of(99), TWO_NODES)).isEmpty();
		assertThat(CpuSets.nodesOf(null, TWO_NODES)).isEmpty();
		assertThat(CpuSets.nodesOf(List.of(0), null)).isEmpty();
	}

	@Test
	void nodesOfSkipsNodesWithUnknownCpus() {
		List<NumaNode> partlyKnown = List.of(new NumaNode(0, List.of(0, 1), null, null), new NumaNode(1, null, null, null));

		assertThat(CpuSets.nodesOf(List.of(0, 2), partlyKnown)).containsExactly(0);
	}

	@Test
	void largestNodeIsUnknownWhenAnyNodeIsUnknown() {
		assertThat(CpuSets.largestNodeCpus(TWO_NODES)).isEqualTo(8);
		assertThat(CpuSets.largestNodeCpus(List.of(new NumaNode(0, List.of(0), null, null), new NumaNode(1, null, null, null))))
			.isNull();
		assertThat(CpuSets.largestNodeCpus(List.of())).isNull();
		assertThat(CpuSets.largestNodeCpus(null)).isNull();
	}

	@Test
	void homeNodeHoldsMostOfTheCpusAndTiesGoToTheLowerId() {
		assertThat(CpuSets.homeNode(List.of(3, 4, 5), TWO_NODES).id()).isEqualTo(1);
		assertThat(CpuSets.homeNode(List.of(3, 4), TWO_NODES).id()).isEqualTo(0);
		assertThat(CpuSets.homeNode(List.of(3, 4), List.of(TWO_NODES.get(1), TWO_NODES.get(0))).id()).isEqualTo(0);
		assertThat(CpuSets.homeNode(List.of(99), TWO_NODES)).isNull();
	}

	@Test
	void formatsInTheKernelsCompactListForm() {
		assertThat(CpuSets.format(List.of(0, 1, 2, 3, 8, 9, 10, 11))).isEqualTo("0-3,8-11");
		assertThat(CpuSets.format(List.of(5, 3, 1, 2))).isEqualTo("1-3,5");
		assertThat(CpuSets.format(List.of(7))).isEqualTo("7");
		assertThat(CpuSets.format(List.of())).isEmpty();
	}

	@Test
	void theHostsCpusComeFromItsNodesElseFromItsThreadCount() {
		HostFacts withNodes = new HostFacts("h", null, TWO_NODES, null, null, null, null, null, null, null, null, null, null);
		HostFacts threadsOnly = new HostFacts("h", new CpuFacts(null, null, 1, 2, 4, 2, null, null), null, null, null, null,
				null, null, null, null, null, null, null);
		HostFacts nodeUnknown = new HostFacts("h", null, List.of(new NumaNode(0, null, null, null)), null, null, null, null,
				null, null, null, null, null, null);

		assertThat(CpuSets.ofHost(withNodes)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
		assertThat(CpuSets.ofHost(threadsOnly)).containsExactly(0, 1, 2, 3);
		assertThat(CpuSets.ofHost(nodeUnknown)).isNull();
		assertThat(CpuSets.ofHost(null)).isNull();
	}

	@Test
	void pinnedByJoinsTheGuestsPinsAndOverlapsNeedsBothKnown() {
		List<Object> guests = List.of(new GuestFacts("a", null, null, null, null, null, null, List.of(0, 1), null),
				new GuestFacts("b", null, null, null, null, null, null, null, null),
				new GuestFacts("c", null, null, null, null, null, null, List.of(8), null), "not a guest");

		assertThat(CpuSets.pinnedBy(guests)).containsExactly(0, 1, 8);
		assertThat(CpuSets.pinnedBy(null)).isEmpty();
		assertThat(CpuSets.overlaps(List.of(1, 2), List.of(2, 3))).isTrue();
		assertThat(CpuSets.overlaps(List.of(1), List.of(2))).isFalse();
		assertThat(CpuSets.overlaps(null, List.of(2))).isFalse();
	}
}
