package io.virtwise.advice.fix;

import io.virtwise.facts.CpuSets;
import io.virtwise.advice.Figures;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.NumaNode;

/**
 * Limits for a container that shares a host with pinned guests: CPUs no guest is pinned to, and an
 * even share of those CPUs and of the memory the guests leave (less a quarter kept for the host
 * itself) among the running containers. A starting point, and said to be one.
 *
 * <p>On a NUMA host the CPUs come from one node (the one the container's cpuset mostly uses, else
 * the one with most free CPUs, lowest id on a tie), so the new cpuset does not span nodes, which
 * HOST-NUMA-CONTAINER-SPANS would flag.
 *
 * @param freeCpus CPUs to give the container: none pinned to a guest, all on one node
 * @param node the NUMA node they are on, or {@code null} on a single-node host or when nodes are unknown
 * @param cpus an even share of {@code freeCpus}, at least one CPU
 * @param memoryBytes an even share of the memory left, or {@code null} when the host's memory is unknown
 * @param containers how many running containers the share is split among
 * @param guestMemoryKb memory of all defined guests
 */
public record ContainerLimits(SortedSet<Integer> freeCpus, Integer node, double cpus, Long memoryBytes, int containers,
		long guestMemoryKb) {

	static final long GRANULE = 64L << 20;

	public ContainerLimits {
		freeCpus = Collections.unmodifiableSortedSet(new TreeSet<>(freeCpus));
	}

	/**
	 * @param guests the guests (others elements are ignored); their pins are taken out
	 * @param containers running containers sharing what is left
	 * @param cpuset the container's cpuset as Docker reports it (empty or null: none)
	 * @return {@code null} when the host's CPUs are unknown or every one of them is pinned to a guest
	 */
	public static ContainerLimits share(HostFacts host, Collection<?> guests, int containers, List<String> cpuset) {
		SortedSet<Integer> all = CpuSets.ofHost(host);
		if (all == null) {
			return null;
		}
		SortedSet<Integer> free = new TreeSet<>(all);
		free.removeAll(CpuSets.pinnedBy(guests));
		NumaNode node = nodeFor(host, free, CpuSets.parse(cpuset));
		if (node != null) {
			free.retainAll(node.cpus());
		}
		if (free.isEmpty()) {
			return null;
		}
		int among = Math.max(1, containers);
		double cpus = Math.max(1, free.size() / among);
		List<GuestFacts> guestList = guests == null ? List.of()
				: guests.stream().filter(GuestFacts.class::isInstance).map(GuestFacts.class::cast).toList();
		long guestKb = HugePageSizing.guestMemoryKb(guestList);
		Long totalKb = host.memory() == null ? null : host.memory().totalKb();
		Long memory = null;
		if (totalKb != null) {
			long leftBytes = (totalKb - guestKb) * 1024 / 4 * 3;
			long share = leftBytes / among / GRANULE * GRANULE;
			memory = share > 0 ? share : null;
		}
		return new ContainerLimits(free, node == null ? null : node.id(), cpus, memory, among, guestKb);
	}

	/** The node to keep the container on; null on a single-node host or when any node's CPUs are unknown. */
	private static NumaNode nodeFor(HostFacts host, SortedSet<Integer> free, SortedSet<Integer> current) {
		List<NumaNode> nodes = host.numaNodes();
		if (nodes == null || nodes.size() < 2 || nodes.stream().anyMatch(n -> n.cpus() == null)) {
			return null;
		}
		NumaNode home = current == null || current.isEmpty() ? null : CpuSets.homeNode(current, nodes);
		if (home != null && home.cpus().stream().anyMatch(free::contains)) {
			return home;
		}
		NumaNode best = null;
		long bestFree = 0;
		for (NumaNode n : nodes) {
			long count = n.cpus().stream().filter(free::contains).count();
			if (count > bestFree) {
				best = n;
				bestFree = count;
			}
		}
		return best;
	}

	/** The CPUs as Docker writes a cpuset: {@code 4-15}. */
	public String cpuset() {
		return CpuSets.format(freeCpus);
	}

	/** How the figures were reached, for a comment beside the command. */
	public String basis() {
		String where = freeCpus.size() + " CPUs no guest is pinned to" + (node == null ? "" : " on NUMA node " + node);
		String memory = memoryBytes == null ? ""
				: "; --memory: an even share of the memory the guests leave (" + Figures.binary(guestMemoryKb * 1024)
						+ " is theirs) less a quarter for the host";
		return "--cpus: an even share of the " + where + memory + ", among the " + containers + " running container"
				+ (containers == 1 ? "" : "s") + ". A starting point: size both to the workload";
	}

	/** The limits as docker run options, for a container's own definition. */
	public static String runOptions(String cpuset, Double cpus, Long memoryBytes) {
		StringBuilder out = new StringBuilder();
		if (cpuset != null) {
			out.append("--cpuset-cpus ").append(cpuset);
		}
		if (cpus != null) {
			out.append(out.length() == 0 ? "" : " ").append("--cpus ").append(Figures.number(cpus));
		}
		if (memoryBytes != null) {
			out.append(out.length() == 0 ? "" : " ").append("--memory ").append(DockerRunEdits.dockerBytes(memoryBytes));
		}
		return out.toString();
	}
}
