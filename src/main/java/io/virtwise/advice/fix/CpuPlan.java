package io.virtwise.advice.fix;

import io.virtwise.facts.CpuSets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import io.virtwise.facts.GuestCell;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.KvmNodeFacts;

/**
 * Where every guest's vCPUs, emulator threads and iothreads go, planned for all guests of the host
 * at once so that no CPU is handed out twice. The host keeps housekeeping CPUs (core 0 and its
 * hyper-thread siblings) for itself and for every guest's emulator threads and iothreads; the other
 * cores are given whole, one guest at a time, while they last. A guest that no longer fits gets no
 * dedicated CPUs at all: it floats on the shared pool (housekeeping plus whatever no guest took) with
 * lower CPU shares, or is shrunk; it is never pinned onto CPUs another guest holds as its own. A guest
 * wider than one NUMA node gets guest NUMA cells that mirror the host nodes it spans.
 * Existing 1:1 pins are kept when they are sound; pins that overlap are named and re-planned.
 */
public final class CpuPlan {

	/** What the plan does with a guest. */
	public enum Kind {
		/** its existing 1:1 pins stay (emulator threads and iothreads may still move to housekeeping) */
		KEPT,
		/** whole cores of one node, given to it alone */
		DEDICATED,
		/** whole cores of several nodes, one guest NUMA cell per host node */
		SPLIT,
		/** no dedicated cores left for it: the shared pool, with lower CPU shares */
		FLOATING
	}

	/** A guest NUMA cell placed on one host node: its vCPUs and its share of the guest's memory. */
	public record Cell(int id, int hostNode, List<Integer> vcpus, long memoryKb) {

		public Cell {
			vcpus = List.copyOf(vcpus);
		}
	}

	/**
	 * One guest's placement.
	 *
	 * @param vcpuToCpu vCPU to the one host CPU it gets (DEDICATED, SPLIT, KEPT); empty when FLOATING
	 * @param cells the guest NUMA cells, one per host node (SPLIT); empty otherwise
	 * @param pool the CPUs a FLOATING guest's vCPUs share with the host and other floating guests
	 * @param node the host node of a DEDICATED or KEPT guest whose CPUs are all on one node, else null
	 * @param problems what is wrong with its current pins, empty when nothing is
	 * @param fitsVcpus for a FLOATING guest: the most vCPUs one node could still give whole cores to (0 when none)
	 * @param othersHoldCores for a FLOATING guest: whether any guest holds cores of its own, which it must then keep off
	 */
	public record Placement(String guest, Kind kind, Map<Integer, Integer> vcpuToCpu, List<Cell> cells,
			List<Integer> emulatorCpus, List<Integer> iothreadCpus, List<Integer> pool, Integer node, int threadsPerCore,
			List<String> problems, int fitsVcpus, boolean othersHoldCores) {

		public Placement {
			vcpuToCpu = java.util.Collections.unmodifiableMap(new TreeMap<>(vcpuToCpu));
			cells = List.copyOf(cells);
			emulatorCpus = List.copyOf(emulatorCpus);
			iothreadCpus = List.copyOf(iothreadCpus);
			pool = List.copyOf(pool);
			problems = List.copyOf(problems);
		}

		/** The host CPUs its vCPUs hold as their own. */
		public SortedSet<Integer> dedicatedCpus() {
			return new TreeSet<>(vcpuToCpu.values());
		}

		/** The host nodes its memory should come from. */
		public SortedSet<Integer> nodes() {
			SortedSet<Integer> nodes = new TreeSet<>();
			if (node != null) {
				nodes.add(node);
			}
			cells.forEach(c -> nodes.add(c.hostNode()));
			return nodes;
		}
	}

	/** What the host keeps of each node's memory at most (an eighth of a small node) when guests are bound to it. */
	public static final long HOST_RESERVE_KB = 1L << 20;

	/** Lower CPU weight for a floating guest: half of the default 1024, so dedicated guests' helpers win. */
	public static final int FLOATING_SHARES = 512;

	private final List<Integer> housekeeping;
	private final List<Integer> sharedPool;
	private final Map<String, Placement> placements;
	private final int hostCpus;
	private final int requestedVcpus;

	private CpuPlan(List<Integer> housekeeping, List<Integer> sharedPool, Map<String, Placement> placements, int hostCpus,
			int requestedVcpus) {
		this.housekeeping = List.copyOf(housekeeping);
		this.sharedPool = List.copyOf(sharedPool);
		this.placements = placements;
		this.hostCpus = hostCpus;
		this.requestedVcpus = requestedVcpus;
	}

	public List<Integer> housekeeping() {
		return housekeeping;
	}

	public List<Integer> sharedPool() {
		return sharedPool;
	}

	public Placement placement(String guest) {
		return placements.get(guest);
	}

	public Collection<Placement> placements() {
		return placements.values();
	}

	/** More vCPUs over all guests than the host has CPUs outside housekeeping: pinning decides who waits. */
	public boolean contended() {
		return requestedVcpus > hostCpus - housekeeping.size();
	}

	/** One host core: a group of hyper-thread siblings on one node. */
	private record Core(int node, List<Integer> cpus) {
	}

	/**
	 * The plan for every guest with a known name and vCPU count, or {@code null} when the host's
	 * NUMA cells or their CPUs are unknown.
	 */
	public static CpuPlan of(KvmNodeFacts host, Collection<GuestFacts> allGuests) {
		if (host == null || host.cells() == null || host.cells().isEmpty()
				|| host.cells().stream().anyMatch(c -> c.cpus() == null || c.cpus().isEmpty())) {
			return null;
		}
		List<Core> cores = cores(host);
		int threads = cores.stream().mapToInt(c -> c.cpus().size()).max().orElse(1);
		Core first = cores.stream().min(Comparator.comparingInt((Core c) -> c.node()).thenComparingInt(c -> c.cpus().get(0)))
			.orElseThrow();
		List<Integer> housekeeping = first.cpus();
		// every guest, TCG ones too: an emulated vCPU runs on host CPUs like any other, and left out it would float over
		// the cores the plan gives others (it floats on the shared pool instead)
		List<GuestFacts> guests = allGuests.stream().filter(g -> g.name() != null && g.vcpus() != null && g.vcpus() > 0)
			.sorted(Comparator.comparing(GuestFacts::name)).toList();

		Map<String, Placement> placements = new LinkedHashMap<>();
		Map<Integer, String> owner = new TreeMap<>();
		Map<String, SortedSet<Integer>> confined = new LinkedHashMap<>();
		List<GuestFacts> toPlan = new ArrayList<>();
		Map<String, List<String>> problems = new LinkedHashMap<>();
		// 1:1 pins first, so that guests pinned to ranges are judged against every CPU given as someone's own
		List<GuestFacts> byPins = new ArrayList<>(guests);
		byPins.sort(Comparator.comparing((GuestFacts g) -> oneToOne(g) == null));
		for (GuestFacts g : byPins) {
			List<String> found = new ArrayList<>();
			Map<Integer, Integer> pins = oneToOne(g);
			SortedSet<Integer> mine = pins != null ? new TreeSet<>(pins.values()) : pinnedUnion(g);
			if (mine == null) {
				toPlan.add(g);
				continue;
			}
			SortedSet<Integer> taken = intersection(mine, owner.keySet());
			if (pins != null) {
				SortedSet<Integer> onHousekeeping = intersection(mine, housekeeping);
				if (!onHousekeeping.isEmpty()) {
					found.add("its vCPUs are pinned to " + CpuSets.format(onHousekeeping) + ", the host's housekeeping CPUs, where the host "
							+ "and every guest's emulator threads and iothreads run");
				}
			}
			if (!taken.isEmpty()) {
				found.add("its vCPUs " + (pins != null ? "are pinned to " : "may run on ") + CpuSets.format(taken) + ", which "
						+ owners(taken, owner) + " already holds for its own vCPUs");
			}
			if (pins == null) {
				// pinned to ranges: its vCPUs float within them, so its own helper threads there compete with them
				helperOverlaps(g, mine, found);
				// a vCPU pinned to one CPU holds it as its own: no other vCPU of the guest may be pinned there
				SortedSet<Integer> shared = sharedSinglePins(g);
				if (!shared.isEmpty()) {
					found.add("several of its vCPUs are pinned to " + CpuSets.format(shared) + ", each as if it had the CPU alone");
				}
			}
			if (!found.isEmpty()) {
				problems.put(g.name(), found);
				toPlan.add(g);
				continue;
			}
			if (pins != null) {
				mine.forEach(cpu -> owner.put(cpu, g.name()));
				placements.put(g.name(), null); // kept; finished once every owner is known
			}
			else {
				confined.put(g.name(), mine);
			}
		}
		// Emulator threads and iothreads of kept guests: on housekeeping, never on a vCPU's CPU.
		for (GuestFacts g : guests) {
			if (!placements.containsKey(g.name())) {
				continue;
			}
			Map<Integer, Integer> pins = oneToOne(g);
			List<String> found = new ArrayList<>();
			helperOverlaps(g, owner, found);
			placements.put(g.name(), new Placement(g.name(), Kind.KEPT, pins, List.of(), housekeeping,
					iothreadCpus(g, housekeeping), List.of(), fitting(host, g, singleNode(host, pins.values())), threadsOf(pins, cores), found, 0,
					false));
		}
		// Guests pinned soundly to ranges keep them: their CPUs are given to nobody else.
		confined.forEach((name, cpus) -> placements.put(name, new Placement(name, Kind.KEPT, Map.of(), List.of(), housekeeping,
				List.of(), List.copyOf(cpus), fitting(host, guests.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(),
						singleNode(host, cpus)), 1, List.of(), 0, false)));
		SortedSet<Integer> busy = new TreeSet<>(owner.keySet());
		confined.values().forEach(busy::addAll);
		// the helper threads of guests whose pins stay keep running where they are pinned: nobody gets those CPUs either
		for (GuestFacts g : guests) {
			Placement kept = placements.get(g.name());
			if (kept != null && kept.kind() == Kind.KEPT && kept.problems().isEmpty()) {
				busy.addAll(helperCpus(g));
			}
		}

		// memory is handed out like cores: what guests already held to a node count against it, and the host keeps an eighth
		// of each node, at most 1 GiB, for itself
		Map<Integer, Long> memoryLeft = new TreeMap<>();
		host.cells().forEach(c -> memoryLeft.put(c.id(), c.memoryKb() == null ? Long.MAX_VALUE
				: c.memoryKb() - Math.min(c.memoryKb() / 8, HOST_RESERVE_KB)));
		for (Placement kept : placements.values()) {
			GuestFacts g = guests.stream().filter(x -> x.name().equals(kept.guest())).findFirst().orElse(null);
			if (g != null && g.memoryKb() != null && kept.node() != null) {
				memoryLeft.merge(kept.node(), -g.memoryKb(), Long::sum);
			}
		}
		List<Core> free = new ArrayList<>();
		for (Core core : cores) {
			if (core != first && core.cpus().stream().noneMatch(busy::contains)) {
				free.add(core);
			}
		}
		toPlan.sort(Comparator.comparing((GuestFacts g) -> !g.running()).thenComparing(g -> -g.vcpus())
			.thenComparing(GuestFacts::name));
		List<GuestFacts> floating = new ArrayList<>();
		for (GuestFacts g : toPlan) {
			List<String> found = problems.getOrDefault(g.name(), List.of());
			// an emulated (TCG) guest gains nothing from cores of its own; it shares the pool, kept off the cores others hold
			Placement p = "kvm".equals(g.accel()) ? dedicate(g, free, threads, housekeeping, found, memoryLeft) : null;
			if (p == null) {
				floating.add(g);
			}
			else {
				placements.put(g.name(), p);
			}
		}
		List<Integer> pool = new ArrayList<>(housekeeping);
		free.forEach(core -> pool.addAll(core.cpus()));
		pool.sort(null);
		boolean held = placements.values().stream().anyMatch(p -> !p.vcpuToCpu().isEmpty());
		for (GuestFacts g : floating) {
			int fits = free.stream().collect(java.util.stream.Collectors.groupingBy(Core::node, java.util.stream.Collectors.counting()))
				.values().stream().mapToInt(n -> (int) (n * threads)).max().orElse(0);
			placements.put(g.name(), new Placement(g.name(), Kind.FLOATING, Map.of(), List.of(), housekeeping,
					iothreadCpus(g, housekeeping), pool, null, threads, problems.getOrDefault(g.name(), List.of()),
					Math.min(fits, g.vcpus()), held));
		}
		int requested = guests.stream().mapToInt(GuestFacts::vcpus).sum();
		int hostCpus = cores.stream().mapToInt(c -> c.cpus().size()).sum();
		return new CpuPlan(housekeeping, pool, placements, hostCpus, requested);
	}

	/**
	 * Whole free cores for the guest, with memory left on their node for it: on one node when it fits
	 * there (the node its memory is bound to now first, so nothing moves that need not), else one cell
	 * per node (its own cells on the nodes their memnodes name where they can); null when cores or
	 * memory ran out. What it takes leaves the free cores and the memory budget.
	 */
	private static Placement dedicate(GuestFacts g, List<Core> free, int threads, List<Integer> housekeeping,
			List<String> problems, Map<Integer, Long> memoryLeft) {
		int coresNeeded = (g.vcpus() + threads - 1) / threads;
		long memory = g.memoryKb() == null ? 0 : g.memoryKb();
		Map<Integer, List<Core>> byNode = new TreeMap<>();
		free.forEach(core -> byNode.computeIfAbsent(core.node(), n -> new ArrayList<>()).add(core));
		boolean ownCells = g.numaCells() != null && g.numaCells().size() >= 2;
		Integer bound = boundNode(g);
		if (!ownCells) {
			Integer best = null;
			for (Map.Entry<Integer, List<Core>> e : byNode.entrySet()) {
				boolean fits = e.getValue().size() >= coresNeeded && memory <= memoryLeft.getOrDefault(e.getKey(), 0L);
				boolean better = best == null || e.getKey().equals(bound)
						|| !best.equals(bound) && e.getValue().size() > byNode.get(best).size();
				if (fits && better) {
					best = e.getKey();
				}
			}
			if (best != null) {
				Map<Integer, Integer> pins = assign(byNode.get(best), 0, g.vcpus(), threads, free);
				memoryLeft.merge(best, -memory, Long::sum);
				return new Placement(g.name(), Kind.DEDICATED, pins, List.of(), housekeeping, iothreadCpus(g, housekeeping), List.of(),
						best, threads, problems, 0, false);
			}
		}
		// Wider than any node's free cores or memory (or its own cells ask for it): one guest cell per host node.
		List<Integer> nodes = new ArrayList<>(byNode.keySet());
		nodes.sort(Comparator.comparingInt((Integer n) -> -byNode.get(n).size()).thenComparingInt(n -> n));
		List<List<Integer>> cellVcpus = ownCells ? ownCellVcpus(g) : null;
		int cellCount = ownCells ? g.numaCells().size() : 0;
		if (!ownCells) {
			int covered = 0;
			for (int n : nodes) {
				cellCount++;
				covered += byNode.get(n).size();
				if (covered >= coresNeeded) {
					break;
				}
			}
			if (covered < coresNeeded || cellCount < 2 || g.vcpus() < cellCount) {
				return null;
			}
			cellVcpus = evenSplit(g.vcpus(), cellCount);
		}
		if (cellVcpus == null || nodes.size() < cellCount) {
			return null;
		}
		List<Integer> hostNodes = ownCells ? cellNodes(g, nodes) : nodes.subList(0, cellCount);
		List<Cell> cells = new ArrayList<>();
		Map<Integer, Long> taking = new TreeMap<>();
		for (int i = 0; i < cellCount; i++) {
			int hostNode = hostNodes.get(i);
			List<Integer> vcpus = cellVcpus.get(i);
			long cellMemory = ownCells && g.numaCells().get(i).memoryKb() != null ? g.numaCells().get(i).memoryKb()
					: evenMemory(memory, cellCount, i);
			taking.merge(hostNode, cellMemory, Long::sum);
			if (byNode.get(hostNode).size() * threads < vcpus.size() || taking.get(hostNode) > memoryLeft.getOrDefault(hostNode, 0L)) {
				return null;
			}
			cells.add(new Cell(ownCells ? g.numaCells().get(i).id() : i, hostNode, vcpus, cellMemory));
		}
		Map<Integer, Integer> pins = new TreeMap<>();
		for (Cell cell : cells) {
			Map<Integer, Integer> cellPins = assign(byNode.get(cell.hostNode()), 0, cell.vcpus().size(), threads, free);
			int k = 0;
			for (int cpu : cellPins.values()) {
				pins.put(cell.vcpus().get(k++), cpu);
			}
		}
		taking.forEach((node, kb) -> memoryLeft.merge(node, -kb, Long::sum));
		return new Placement(g.name(), Kind.SPLIT, pins, cells, housekeeping, iothreadCpus(g, housekeeping), List.of(), null, threads,
				problems, 0, false);
	}

	/** The node whose CPUs a kept guest runs on, when its memory fits there too (its memory can then be held there); else null. */
	private static Integer fitting(KvmNodeFacts host, GuestFacts g, Integer node) {
		if (node == null || g.memoryKb() == null) {
			return node;
		}
		KvmNodeFacts.Cell cell = host.cells().stream().filter(c -> c.id() == node).findFirst().orElse(null);
		long memory = cell == null || cell.memoryKb() == null ? Long.MAX_VALUE : cell.memoryKb() - Math.min(cell.memoryKb() / 8, HOST_RESERVE_KB);
		return g.memoryKb() <= memory ? node : null;
	}

	/** The one host node the guest's memory is bound to now (numatune nodeset), or null. */
	static Integer boundNode(GuestFacts g) {
		return g.numaNodes() != null && g.numaNodes().size() == 1 ? g.numaNodes().get(0) : null;
	}

	/**
	 * The host node for each of the guest's own cells: the one its memnode names when that node has free
	 * cores, else the next free node by free cores; the same node never twice.
	 */
	private static List<Integer> cellNodes(GuestFacts g, List<Integer> byFreeCores) {
		List<Integer> out = new ArrayList<>();
		List<Integer> left = new ArrayList<>(byFreeCores);
		List<Integer> wanted = new ArrayList<>();
		for (GuestCell cell : g.numaCells()) {
			String nodeset = g.details().memnodes().get(cell.id());
			SortedSet<Integer> n = nodeset == null ? null : CpuSets.parse(List.of(nodeset));
			wanted.add(n != null && n.size() == 1 && left.contains(n.first()) ? n.first() : null);
		}
		wanted.stream().filter(java.util.Objects::nonNull).forEach(left::remove);
		for (Integer w : wanted) {
			out.add(w != null && !out.contains(w) ? w : left.remove(0));
		}
		return out;
	}

	/** vCPUs {@code from..from+count-1} onto the node's first free cores, sibling by sibling; the cores used leave the free list. */
	private static Map<Integer, Integer> assign(List<Core> nodeCores, int from, int count, int threads, List<Core> free) {
		Map<Integer, Integer> pins = new TreeMap<>();
		int vcpu = from;
		List<Core> used = new ArrayList<>();
		for (Core core : List.copyOf(nodeCores)) {
			if (vcpu >= from + count) {
				break;
			}
			for (int cpu : core.cpus()) {
				if (vcpu < from + count) {
					pins.put(vcpu++, cpu);
				}
			}
			used.add(core);
		}
		nodeCores.removeAll(used);
		free.removeAll(used);
		return pins;
	}

	/** vCPU numbers of the guest's own cells, in cell order; null when a cell's list cannot be read. */
	private static List<List<Integer>> ownCellVcpus(GuestFacts g) {
		List<List<Integer>> out = new ArrayList<>();
		for (GuestCell cell : g.numaCells()) {
			SortedSet<Integer> vcpus = cell.cpus() == null ? null : CpuSets.parse(List.of(cell.cpus()));
			if (vcpus == null || vcpus.isEmpty()) {
				return null;
			}
			out.add(new ArrayList<>(vcpus));
		}
		return out;
	}

	/** 0..n-1 in {@code parts} consecutive runs, the first ones one longer when n does not divide. */
	static List<List<Integer>> evenSplit(int n, int parts) {
		List<List<Integer>> out = new ArrayList<>();
		int next = 0;
		for (int i = 0; i < parts; i++) {
			int size = n / parts + (i < n % parts ? 1 : 0);
			List<Integer> run = new ArrayList<>();
			for (int k = 0; k < size; k++) {
				run.add(next++);
			}
			out.add(run);
		}
		return out;
	}

	/** An even share of the memory in whole 2 MiB pages (huge-page backing needs them), the remainder in the last cell. */
	static long evenMemory(long memoryKb, int cells, int index) {
		long share = memoryKb / cells / 2048 * 2048;
		return index < cells - 1 ? share : memoryKb - share * (cells - 1);
	}

	/** vCPU to host CPU when every vCPU is pinned to one CPU of its own; null otherwise. */
	static Map<Integer, Integer> oneToOne(GuestFacts g) {
		if (!Boolean.TRUE.equals(g.fullyPinned())) {
			return null;
		}
		Map<Integer, Integer> pins = new TreeMap<>();
		for (Map.Entry<Integer, String> pin : g.vcpuPins().entrySet()) {
			SortedSet<Integer> cpus = CpuSets.parse(List.of(pin.getValue()));
			if (cpus == null || cpus.size() != 1 || pins.containsValue(cpus.first())) {
				return null;
			}
			pins.put(pin.getKey(), cpus.first());
		}
		return pins;
	}

	/** CPUs that one vCPU is pinned to alone while another vCPU of the same guest may also run there. */
	private static SortedSet<Integer> sharedSinglePins(GuestFacts g) {
		SortedSet<Integer> shared = new TreeSet<>();
		for (Map.Entry<Integer, String> pin : g.vcpuPins().entrySet()) {
			SortedSet<Integer> cpus = CpuSets.parse(List.of(pin.getValue()));
			if (cpus == null || cpus.size() != 1) {
				continue;
			}
			for (Map.Entry<Integer, String> other : g.vcpuPins().entrySet()) {
				SortedSet<Integer> theirs = CpuSets.parse(List.of(other.getValue()));
				if (!other.getKey().equals(pin.getKey()) && theirs != null && theirs.contains(cpus.first())) {
					shared.add(cpus.first());
				}
			}
		}
		return shared;
	}

	/** The CPUs a guest's emulatorpin and iothreadpins name. */
	private static SortedSet<Integer> helperCpus(GuestFacts g) {
		SortedSet<Integer> cpus = new TreeSet<>();
		List<String> sets = new ArrayList<>();
		if (g.emulatorPin() != null && !g.emulatorPin().isEmpty()) {
			sets.add(g.emulatorPin());
		}
		if (g.iothreadPins() != null) {
			sets.addAll(g.iothreadPins().values());
		}
		for (String set : sets) {
			SortedSet<Integer> parsed = CpuSets.parse(List.of(set));
			if (parsed != null) {
				cpus.addAll(parsed);
			}
		}
		return cpus;
	}

	/** Every CPU the guest's vcpupins name, when every vCPU has one that can be read; null otherwise. */
	static SortedSet<Integer> pinnedUnion(GuestFacts g) {
		if (!Boolean.TRUE.equals(g.fullyPinned())) {
			return null;
		}
		SortedSet<Integer> cpus = CpuSets.parse(g.vcpuPins().values());
		return cpus == null || cpus.isEmpty() ? null : cpus;
	}

	/** A range-pinned guest's emulator threads and iothreads on the CPUs its own vCPUs run on. */
	private static void helperOverlaps(GuestFacts g, SortedSet<Integer> vcpuCpus, List<String> found) {
		String emulator = g.emulatorPin();
		SortedSet<Integer> cpus = emulator == null || emulator.isEmpty() ? null : CpuSets.parse(List.of(emulator));
		SortedSet<Integer> hit = cpus == null ? new TreeSet<>() : intersection(cpus, vcpuCpus);
		if (!hit.isEmpty()) {
			found.add("its emulatorpin " + emulator + " shares " + CpuSets.format(hit) + " with its own vCPUs' pins");
		}
		if (g.iothreadPins() != null) {
			g.iothreadPins().forEach((id, set) -> {
				SortedSet<Integer> io = CpuSets.parse(List.of(set));
				SortedSet<Integer> shared = io == null ? new TreeSet<>() : intersection(io, vcpuCpus);
				if (!shared.isEmpty()) {
					found.add("its iothreadpin " + id + " (" + set + ") shares " + CpuSets.format(shared) + " with its own vCPUs' pins");
				}
			});
		}
	}

	/** Emulator threads and iothreads of a kept guest that float over, or are pinned onto, CPUs given to vCPUs. */
	private static void helperOverlaps(GuestFacts g, Map<Integer, String> owner, List<String> found) {
		String emulator = g.emulatorPin();
		if (emulator == null || emulator.isEmpty()) {
			found.add("it has no emulatorpin, so its emulator threads float over every host CPU, the vCPUs' included");
		}
		else {
			SortedSet<Integer> cpus = CpuSets.parse(List.of(emulator));
			SortedSet<Integer> hit = cpus == null ? new TreeSet<>() : intersection(cpus, owner.keySet());
			if (!hit.isEmpty()) {
				found.add("its emulatorpin " + emulator + " covers " + CpuSets.format(hit) + ", given to the vCPUs of "
						+ owners(hit, owner));
			}
		}
		if (g.iothreadPins() != null) {
			g.iothreadPins().forEach((id, set) -> {
				SortedSet<Integer> cpus = CpuSets.parse(List.of(set));
				SortedSet<Integer> hit = cpus == null ? new TreeSet<>() : intersection(cpus, owner.keySet());
				if (!hit.isEmpty()) {
					found.add("its iothreadpin " + id + " (" + set + ") covers " + CpuSets.format(hit) + ", given to the vCPUs of "
							+ owners(hit, owner));
				}
			});
		}
	}

	private static String owners(Collection<Integer> cpus, Map<Integer, String> owner) {
		return String.join(" and ", cpus.stream().map(owner::get).distinct().sorted().toList());
	}

	private static List<Integer> iothreadCpus(GuestFacts g, List<Integer> housekeeping) {
		return g.iothreads() != null && g.iothreads() > 0 ? housekeeping : List.of();
	}

	private static Integer singleNode(KvmNodeFacts host, Collection<Integer> cpus) {
		Integer node = null;
		for (int cpu : cpus) {
			Integer n = host.cells().stream().filter(c -> c.cpus().contains(cpu)).map(KvmNodeFacts.Cell::id).findFirst().orElse(null);
			if (n == null || (node != null && !node.equals(n))) {
				return null;
			}
			node = n;
		}
		return node;
	}

	/** 2 when the pins put vCPU pairs (0,1), (2,3)... on the two siblings of one core, else 1. */
	private static int threadsOf(Map<Integer, Integer> pins, List<Core> cores) {
		if (pins.size() < 2 || pins.size() % 2 != 0) {
			return 1;
		}
		for (int v = 0; v < pins.size(); v += 2) {
			Integer a = pins.get(v);
			Integer b = pins.get(v + 1);
			if (a == null || b == null || cores.stream().noneMatch(c -> c.cpus().contains(a) && c.cpus().contains(b))) {
				return 1;
			}
		}
		return 2;
	}

	private static SortedSet<Integer> intersection(Collection<Integer> a, Collection<Integer> b) {
		SortedSet<Integer> out = new TreeSet<>(a);
		out.retainAll(b);
		return out;
	}

	/** The host's cores node by node: its sibling groups, or one core per CPU where siblings are unknown. */
	private static List<Core> cores(KvmNodeFacts host) {
		List<Core> cores = new ArrayList<>();
		for (KvmNodeFacts.Cell cell : host.cells()) {
			SortedSet<Integer> covered = new TreeSet<>();
			if (cell.siblings() != null) {
				for (List<Integer> group : cell.siblings()) {
					List<Integer> inCell = group.stream().filter(cell.cpus()::contains).sorted().toList();
					if (!inCell.isEmpty() && inCell.stream().noneMatch(covered::contains)) {
						cores.add(new Core(cell.id(), inCell));
						covered.addAll(inCell);
					}
				}
			}
			for (int cpu : cell.cpus()) {
				if (!covered.contains(cpu)) {
					cores.add(new Core(cell.id(), List.of(cpu)));
				}
			}
		}
		cores.sort(Comparator.comparingInt((Core c) -> c.node()).thenComparingInt(c -> c.cpus().get(0)));
		return cores;
	}
}
