package io.virtwise.facts;

import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;


/**
 * CPU lists as Docker and the kernel write them ({@code "0-3"}, {@code "8"}, {@code "0-3,8"}),
 * and where such CPUs sit among the NUMA nodes. Static so DRL constraints can call it; every
 * method answers "unknown" (null, or an empty set) rather than guessing.
 */
public final class CpuSets {

	private CpuSets() {
	}

	/** All CPUs named by the entries, or {@code null} when the input is null or any part is malformed. */
	public static SortedSet<Integer> parse(Collection<String> entries) {
		if (entries == null) {
			return null;
		}
		SortedSet<Integer> cpus = new TreeSet<>();
		for (String entry : entries) {
			if (entry == null) {
				return null;
			}
			// libvirt's cpusets may exclude with ^N ("1-4,^2"), applied after the ranges of the same entry
			SortedSet<Integer> excluded = new TreeSet<>();
			for (String part : entry.split(",")) {
				String range = part.strip();
				if (range.isEmpty()) {
					continue;
				}
				if (!addRange(range.startsWith("^") ? range.substring(1).strip() : range, range.startsWith("^") ? excluded : cpus)) {
					return null;
				}
			}
			cpus.removeAll(excluded);
		}
		return cpus;
	}

	private static boolean addRange(String range, SortedSet<Integer> cpus) {
		int dash = range.indexOf('-');
		try {
			int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash).strip());
			int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1).strip());
			if (first < 0 || last < first) {
				return false;
			}
			for (int cpu = first; cpu <= last; cpu++) {
				cpus.add(cpu);
			}
			return true;
		}
		catch (NumberFormatException e) {
			return false;
		}
	}

	/**
	 * Every CPU of the host: its NUMA nodes' CPUs, or {@code 0..threads-1} when the nodes do not
	 * say; {@code null} when neither is known.
	 */
	public static SortedSet<Integer> ofHost(HostFacts host) {
		if (host == null) {
			return null;
		}
		if (host.numaNodes() != null && !host.numaNodes().isEmpty()
				&& host.numaNodes().stream().allMatch(n -> n.cpus() != null && !n.cpus().isEmpty())) {
			SortedSet<Integer> cpus = new TreeSet<>();
			host.numaNodes().forEach(n -> cpus.addAll(n.cpus()));
			return cpus;
		}
		Integer threads = host.cpu() == null ? null : host.cpu().threads();
		if (threads == null || threads < 1) {
			return null;
		}
		SortedSet<Integer> cpus = new TreeSet<>();
		for (int cpu = 0; cpu < threads; cpu++) {
			cpus.add(cpu);
		}
		return cpus;
	}

	/** The CPUs any of the guests is pinned to (other elements are ignored); empty when none is pinned. */
	public static SortedSet<Integer> pinnedBy(Collection<?> guests) {
		SortedSet<Integer> cpus = new TreeSet<>();
		if (guests != null) {
			for (Object o : guests) {
				if (o instanceof GuestFacts guest && guest.pinnedCpus() != null) {
					cpus.addAll(guest.pinnedCpus());
				}
			}
		}
		return cpus;
	}

	/** True when both sets are known and share a CPU. */
	public static boolean overlaps(Collection<Integer> a, Collection<Integer> b) {
		return a != null && b != null && a.stream().anyMatch(b::contains);
	}

	/**
	 * Ids of the nodes that hold at least one of the CPUs. A CPU in no known node is left out, so
	 * the answer is a lower bound: more than one id means the set certainly spans nodes.
	 */
	public static SortedSet<Integer> nodesOf(Collection<Integer> cpus, List<NumaNode> nodes) {
		SortedSet<Integer> ids = new TreeSet<>();
		if (cpus == null || nodes == null) {
			return ids;
		}
		for (NumaNode node : nodes) {
			if (node.cpus() != null && node.cpus().stream().anyMatch(cpus::contains)) {
				ids.add(node.id());
			}
		}
		return ids;
	}

	/** CPUs in the largest node, or {@code null} when any node's CPU list is unknown. */
	public static Integer largestNodeCpus(List<NumaNode> nodes) {
		if (nodes == null || nodes.isEmpty()) {
			return null;
		}
		int largest = 0;
		for (NumaNode node : nodes) {
			if (node.cpus() == null) {
				return null;
			}
			largest = Math.max(largest, node.cpus().size());
		}
		return largest;
	}

	/** The node holding most of the CPUs (lowest id on a tie), or {@code null} when none holds any. */
	public static NumaNode homeNode(Collection<Integer> cpus, List<NumaNode> nodes) {
		if (cpus == null || nodes == null) {
			return null;
		}
		NumaNode best = null;
		long bestCount = 0;
		for (NumaNode node : nodes) {
			long count = node.cpus() == null ? 0 : node.cpus().stream().filter(cpus::contains).count();
			if (count > bestCount || (count == bestCount && count > 0 && node.id() < best.id())) {
				best = node;
				bestCount = count;
			}
		}
		return best;
	}

	/** The kernel's compact list form: {@code [0,1,2,3,8]} becomes {@code "0-3,8"}. */
	public static String format(Collection<Integer> cpus) {
		StringBuilder out = new StringBuilder();
		Integer start = null;
		Integer previous = null;
		for (int cpu : new TreeSet<>(cpus)) {
			if (previous != null && cpu == previous + 1) {
				previous = cpu;
				continue;
			}
			appendRange(out, start, previous);
			start = cpu;
			previous = cpu;
		}
		appendRange(out, start, previous);
		return out.toString();
	}

	private static void appendRange(StringBuilder out, Integer start, Integer end) {
		if (start == null) {
			return;
		}
		if (out.length() > 0) {
			out.append(',');
		}
		out.append(start);
		if (!end.equals(start)) {
			out.append('-').append(end);
		}
	}
}
