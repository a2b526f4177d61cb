package io.virtwise.advice;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.KvmNodeFacts;
import io.virtwise.facts.NumaNode;

/**
 * Plans vCPU to host CPU pinning the way RC25482's tuned guest was pinned: within one NUMA node,
 * whole physical cores at a time so vCPU pairs land on a core and its hyper-thread sibling, and
 * the emulator threads on a spare core of the same node. CPUs that other guests are pinned to,
 * or that an earlier plan in the same run took, are avoided while a node has room.
 */
public final class PinningPlanner {

	/** vCPU number to host CPU, the node it all sits on, and the emulator's CPUs. */
	public record Plan(int node, Map<Integer, Integer> vcpuToCpu, List<Integer> emulatorCpus, int threadsPerCore) {

		public List<Integer> cpus() {
			return new ArrayList<>(new TreeSet<>(vcpuToCpu.values()));
		}
	}

	private PinningPlanner() {
	}

	/**
	 * A plan for {@code vcpus} vCPUs, or {@code null} when no node has that many CPUs (the guest
	 * cannot stay within one node) or the topology is unknown.
	 */
	public static Plan plan(List<NumaNode> nodes, List<List<Integer>> siblings, int vcpus, Set<Integer> busy) {
		if (nodes == null || nodes.isEmpty() || vcpus <= 0) {
			return null;
		}
		NumaNode best = null;
		int bestFree = -1;
		for (NumaNode node : nodes) {
			if (node.cpus() == null || node.cpus().size() < vcpus) {
				continue;
			}
			int free = (int) node.cpus().stream().filter(c -> !busy.contains(c)).count();
			if (free > bestFree) {
				best = node;
				bestFree = free;
			}
		}
		if (best == null) {
			return null;
		}
		List<List<Integer>> cores = coresOf(best, siblings);
		// Whole free cores first, then partly free, then busy ones (overlap only when the node is full).
		cores.sort(Comparator.comparingInt((List<Integer> core) -> (int) core.stream().filter(busy::contains).count()));
		Map<Integer, Integer> assignment = new LinkedHashMap<>();
		List<List<Integer>> unused = new ArrayList<>();
		int vcpu = 0;
		for (List<Integer> core : cores) {
			if (vcpu >= vcpus) {
				unused.add(core);
				continue;
			}
			for (int cpu : core) {
				if (vcpu < vcpus) {
					assignment.put(vcpu++, cpu);
				}
			}
		}
		List<Integer> emulator = unused.stream()
			.filter(core -> core.stream().noneMatch(busy::contains))
			.findFirst()
			.orElse(new ArrayList<>(new TreeSet<>(assignment.values())));
		int threadsPerCore = cores.stream().mapToInt(List::size).max().orElse(1);
		return new Plan(best.id(), assignment, List.copyOf(new TreeSet<>(emulator)), threadsPerCore);
	}

	/**
	 * The plan for one guest when every guest that is not fully pinned is planned in name order,
	 * so two guests are never told to take the same CPUs.
	 */
	public static Plan planFor(KvmNodeFacts node, Collection<GuestFacts> guests, String name) {
		if (node == null || guests == null) {
			return null;
		}
		Set<Integer> busy = new TreeSet<>();
		List<GuestFacts> toPlan = new ArrayList<>();
		for (GuestFacts guest : guests) {
			if (Boolean.TRUE.equals(guest.fullyPinned()) && guest.pinnedCpus() != null) {
				busy.addAll(guest.pinnedCpus());
			}
			else if (guest.vcpus() != null && guest.name() != null) {
				toPlan.add(guest);
			}
		}
		toPlan.sort(Comparator.comparing(GuestFacts::name));
		for (GuestFacts guest : toPlan) {
			Plan plan = plan(node.numaNodes(), node.siblings(), guest.vcpus(), busy);
			if (guest.name().equals(name)) {
				return plan;
			}
			if (plan != null) {
				busy.addAll(plan.vcpuToCpu().values());
			}
		}
		return null;
	}

	private static List<List<Integer>> coresOf(NumaNode node, List<List<Integer>> siblings) {
		List<List<Integer>> cores = new ArrayList<>();
		Set<Integer> covered = new TreeSet<>();
		if (siblings != null) {
			for (List<Integer> group : siblings) {
				List<Integer> inNode = group.stream().filter(node.cpus()::contains).sorted().toList();
				if (!inNode.isEmpty() && covered.stream().noneMatch(inNode::contains)) {
					cores.add(inNode);
					covered.addAll(inNode);
				}
			}
		}
		for (int cpu : node.cpus()) {
			if (!covered.contains(cpu)) {
				cores.add(List.of(cpu));
			}
		}
		cores.sort(Comparator.comparingInt(core -> core.get(0)));
		return cores;
	}
}
