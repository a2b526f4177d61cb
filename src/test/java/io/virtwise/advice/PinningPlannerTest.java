package io.virtwise.advice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.KvmNodeFacts;
import io.virtwise.facts.NumaNode;
import org.junit.jupiter.api.Test;

/** RC25482's host: 2 sockets x 8 cores x 2 threads, Linux numbering (siblings n and n+16). */
class PinningPlannerTest {

	static final List<NumaNode> NODES = List.of(
			new NumaNode(0, cpus(0, 8, 16, 24), 64L << 20, null),
			new NumaNode(1, cpus(8, 16, 24, 32), 64L << 20, null));

	static final List<List<Integer>> SIBLINGS = IntStream.range(0, 16).mapToObj(c -> List.of(c, c + 16)).toList();

	static List<Integer> cpus(int from, int to, int from2, int to2) {
		return IntStream.concat(IntStream.range(from, to), IntStream.range(from2, to2)).boxed().toList();
	}

	@Test
	void vcpuPairsLandOnACoreAndItsSibling() {
		PinningPlanner.Plan plan = PinningPlanner.plan(NODES, SIBLINGS, 4, Set.of());

		assertThat(plan.node()).isZero();
		assertThat(plan.vcpuToCpu()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 0, 1, 16, 2, 1, 3, 17));
		assertThat(plan.threadsPerCore()).isEqualTo(2);
		assertThat(plan.emulatorCpus()).containsExactly(2, 18);
	}

	@Test
	void staysWithinOneNodeAndAvoidsBusyCpus() {
		Set<Integer> busy = Set.of(0, 1, 2, 3, 4, 5, 16, 17, 18, 19, 20, 21);
		PinningPlanner.Plan plan = PinningPlanner.plan(NODES, SIBLINGS, 6, busy);

		assertThat(plan.node()).isEqualTo(1);
		assertThat(plan.cpus()).containsExactly(8, 9, 10, 24, 25, 26);
		assertThat(NODES.get(1).cpus()).containsAll(plan.emulatorCpus());
		assertThat(plan.emulatorCpus()).doesNotContainAnyElementsOf(plan.cpus());
	}

	@Test
	void aGuestWiderThanANodeGetsNoPlan() {
		assertThat(PinningPlanner.plan(NODES, SIBLINGS, 17, Set.of())).isNull();
	}

	@Test
	void guestsPlannedTogetherNeverShareCpus() {
		KvmNodeFacts node = new KvmNodeFacts(null, null, null, null, 2, 1, 8, 2, 32, null, null,
				List.of(new KvmNodeFacts.Cell(0, null, null, NODES.get(0).cpus(), SIBLINGS.subList(0, 8)),
						new KvmNodeFacts.Cell(1, null, null, NODES.get(1).cpus(), SIBLINGS.subList(8, 16))),
				null, null);
		List<GuestFacts> guests = List.of(guest("a", 8), guest("b", 8), guest("c", 8));

		PinningPlanner.Plan a = PinningPlanner.planFor(node, guests, "a");
		PinningPlanner.Plan b = PinningPlanner.planFor(node, guests, "b");
		PinningPlanner.Plan c = PinningPlanner.planFor(node, guests, "c");

		assertThat(a.cpus()).doesNotContainAnyElementsOf(b.cpus()).doesNotContainAnyElementsOf(c.cpus());
		assertThat(b.cpus()).doesNotContainAnyElementsOf(c.cpus());
		assertThat(a.node()).isEqualTo(0);
		assertThat(b.node()).isEqualTo(1);
	}

	static GuestFacts guest(String name, int vcpus) {
		return new GuestFacts(name, null, null, "kvm", vcpus, 1L << 20, false, List.of(), null, "none", null, null, null,
				null, null, null, Map.of(), "", Map.of(), 0, null, null, null, List.of(), List.of(), null, "<domain/>");
	}
}
