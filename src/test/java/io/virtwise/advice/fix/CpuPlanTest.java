package io.virtwise.advice.fix;

import io.virtwise.facts.CpuSets;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import io.virtwise.facts.GuestCell;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.KvmNodeFacts;
import org.junit.jupiter.api.Test;

/**
 * The host-wide CPU plan: a few worked cases, then the properties every plan must have, over
 * generated hosts (1-4 nodes, 1-8 cores each, 1-2 threads per core) and guests (unpinned, soundly
 * pinned, pinned over each other or over housekeeping, with and without emulatorpin and iothreads).
 */
public class CpuPlanTest {

	/** RC25482's host: 2 sockets x 8 cores x 2 threads, siblings n and n+16 as Linux numbers them. */
	static final KvmNodeFacts TWO_SOCKETS = host(2, 8, 2, true, 64L << 20);
	static final KvmNodeFacts LAB = host(1, 2, 1, false, 4L << 20);

	@Test
	void housekeepingIsCoreZeroWithItsSiblingAndEveryHelperThreadGoesThere() {
		CpuPlan plan = CpuPlan.of(TWO_SOCKETS, List.of(guest("a", 4, 8L << 20, null, "", 1)));

		assertThat(plan.housekeeping()).containsExactly(0, 16);
		CpuPlan.Placement a = plan.placement("a");
		assertThat(a.kind()).isEqualTo(CpuPlan.Kind.DEDICATED);
		// node 1 has all 8 of its cores free, node 0 seven: the emptier node first
		assertThat(a.vcpuToCpu()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 8, 1, 24, 2, 9, 3, 25));
		assertThat(a.emulatorCpus()).containsExactly(0, 16);
		assertThat(a.iothreadCpus()).containsExactly(0, 16);
		assertThat(a.node()).isEqualTo(1);
	}

	@Test
	void aGuestWiderThanANodeGetsOneCellPerNodeWithItsMemorySplit() {
		CpuPlan plan = CpuPlan.of(TWO_SOCKETS, List.of(guest("wide", 24, 96L << 20, null, "", 0)));

		CpuPlan.Placement wide = plan.placement("wide");
		assertThat(wide.kind()).isEqualTo(CpuPlan.Kind.SPLIT);
		assertThat(wide.cells()).extracting(CpuPlan.Cell::hostNode).containsExactlyInAnyOrder(0, 1);
		assertThat(wide.cells()).extracting(c -> c.vcpus().size()).containsExactly(12, 12);
		assertThat(wide.cells().stream().mapToLong(CpuPlan.Cell::memoryKb).sum()).isEqualTo(96L << 20);
	}

	@Test
	void whenCoresRunOutTheNextGuestFloatsOnThePoolInsteadOfSharingAGuestsCores() {
		// the lab: CPU 0 is housekeeping, CPU 1 the only core to give
		CpuPlan plan = CpuPlan.of(LAB, List.of(guest("a", 1, 1L << 20, null, "", 0), guest("b", 1, 1L << 20, null, "", 0)));

		assertThat(plan.placement("a").kind()).isEqualTo(CpuPlan.Kind.DEDICATED);
		assertThat(plan.placement("a").dedicatedCpus()).containsExactly(1);
		assertThat(plan.placement("b").kind()).isEqualTo(CpuPlan.Kind.FLOATING);
		assertThat(plan.placement("b").pool()).containsExactly(0);
		assertThat(plan.placement("b").fitsVcpus()).isZero();
	}

	@Test
	void overlappingPinsAreNamedAndReplanned() {
		GuestFacts first = guest("first", 2, 1L << 20, Map.of(0, "1", 1, "2"), "0", 0);
		GuestFacts second = guest("second", 2, 1L << 20, Map.of(0, "2", 1, "3"), "0", 0);
		GuestFacts self = guest("self", 1, 1L << 20, Map.of(0, "5"), "4-5", 0);
		CpuPlan plan = CpuPlan.of(host(1, 8, 1, false, 16L << 20), List.of(first, second, self));

		assertThat(plan.placement("first").kind()).isEqualTo(CpuPlan.Kind.KEPT);
		assertThat(plan.placement("first").problems()).isEmpty();
		assertThat(plan.placement("second").problems()).singleElement().asString().contains("2", "first");
		assertThat(plan.placement("second").dedicatedCpus()).doesNotContain(1, 2, 5);
		assertThat(plan.placement("self").kind()).isEqualTo(CpuPlan.Kind.KEPT);
		assertThat(plan.placement("self").problems()).singleElement().asString().contains("emulatorpin 4-5", "5");
		assertThat(plan.placement("self").emulatorCpus()).containsExactly(0);
	}

	@Test
	void everyPlanOverGeneratedHostsAndGuestsHandsEachCpuOutOnce() {
		Random random = new Random(20261207);
		for (int round = 0; round < 3000; round++) {
			long seed = random.nextLong();
			Random r = new Random(seed);
			KvmNodeFacts host = host(1 + r.nextInt(4), 1 + r.nextInt(8), 1 + r.nextInt(2), r.nextBoolean(), (1L + r.nextInt(64)) << 20);
			List<Integer> hostCpus = host.cells().stream().flatMap(c -> c.cpus().stream()).toList();
			List<GuestFacts> guests = new ArrayList<>();
			int count = r.nextInt(9);
			for (int i = 0; i < count; i++) {
				guests.add(randomGuest(r, "g" + i, hostCpus));
			}
			CpuPlan plan = CpuPlan.of(host, guests);
			String where = "seed " + seed + ": " + host.cells().size() + " nodes, guests " + guests.stream()
				.map(g -> g.name() + "(" + g.vcpus() + " vCPUs, pins " + g.vcpuPins() + ", emulator " + g.emulatorPin() + ")").toList();
			checkProperties(plan, host, guests, where);
		}
	}

	/** The properties: one CPU per vCPU, never twice, never on housekeeping, helpers only on housekeeping, pools apart. */
	static void checkProperties(CpuPlan plan, KvmNodeFacts host, List<GuestFacts> guests, String where) {
		Map<Integer, String> given = new HashMap<>();
		SortedSet<Integer> dedicated = new TreeSet<>();
		SortedSet<Integer> confined = new TreeSet<>();
		for (GuestFacts g : guests) {
			CpuPlan.Placement p = plan.placement(g.name());
			assertThat(p).as("a placement for %s (%s)", g.name(), where).isNotNull();
			assertThat(p.emulatorCpus()).as(where).isSubsetOf(plan.housekeeping());
			assertThat(p.iothreadCpus()).as(where).isSubsetOf(plan.housekeeping());
			if (p.kind() == CpuPlan.Kind.FLOATING) {
				assertThat(p.vcpuToCpu()).as(where).isEmpty();
				continue;
			}
			if (p.kind() == CpuPlan.Kind.KEPT && p.vcpuToCpu().isEmpty()) {
				// pinned to ranges and kept: its CPUs are given to nobody else (checked against every pin below)
				assertThat(p.pool()).as(where).containsExactlyElementsOf(CpuPlan.pinnedUnion(g));
				confined.addAll(p.pool());
				continue;
			}
			assertThat(p.vcpuToCpu().keySet()).as("every vCPU of %s placed (%s)", g.name(), where)
				.containsExactlyElementsOf(range(g.vcpus()));
			for (Map.Entry<Integer, Integer> pin : p.vcpuToCpu().entrySet()) {
				String before = given.put(pin.getValue(), g.name() + "/" + pin.getKey());
				assertThat(before).as("CPU %d given twice (%s)", pin.getValue(), where).isNull();
			}
			dedicated.addAll(p.vcpuToCpu().values());
			if (p.kind() == CpuPlan.Kind.KEPT) {
				assertThat(p.vcpuToCpu()).as("kept pins unchanged (%s)", where).isEqualTo(CpuPlan.oneToOne(g));
			}
			for (CpuPlan.Cell cell : p.cells()) {
				List<Integer> nodeCpus = host.cells().stream().filter(c -> c.id() == cell.hostNode()).findFirst().orElseThrow().cpus();
				cell.vcpus().forEach(v -> assertThat(nodeCpus).as(where).contains(p.vcpuToCpu().get(v)));
			}
			if (!p.cells().isEmpty() && g.numaCells().isEmpty()) {
				assertThat(p.cells().stream().mapToLong(CpuPlan.Cell::memoryKb).sum()).as(where).isEqualTo(g.memoryKb());
			}
		}
		assertThat(intersection(dedicated, plan.housekeeping())).as("housekeeping stays the host's (%s)", where).isEmpty();
		assertThat(intersection(dedicated, confined)).as("no CPU of a range-pinned guest given as someone's own (%s)", where).isEmpty();
		assertThat(intersection(plan.sharedPool(), dedicated)).as("the floating pool is nobody's own (%s)", where).isEmpty();
		// a core the plan hands out is never split with another guest: hyper-thread siblings contend
		for (List<Integer> core : host.siblings()) {
			List<String> holders = core.stream().map(given::get).filter(java.util.Objects::nonNull)
				.map(s -> s.substring(0, s.indexOf('/'))).distinct().toList();
			boolean planned = holders.stream().anyMatch(h -> plan.placement(h).kind() != CpuPlan.Kind.KEPT);
			assertThat(planned && holders.size() > 1).as("core %s shared by %s (%s)", core, holders, where).isFalse();
		}
	}

	static GuestFacts randomGuest(Random r, String name, List<Integer> hostCpus) {
		int vcpus = 1 + r.nextInt(Math.min(20, hostCpus.size() + 2));
		Map<Integer, String> pins = null;
		String emulator = "";
		switch (r.nextInt(4)) {
			case 0, 1 -> pins = Map.of();
			case 2 -> {
				// pinned 1:1 to random distinct host CPUs: sound, over another guest, or over housekeeping
				List<Integer> cpus = new ArrayList<>(hostCpus);
				java.util.Collections.shuffle(cpus, r);
				if (cpus.size() >= vcpus) {
					pins = new TreeMap<>();
					for (int v = 0; v < vcpus; v++) {
						pins.put(v, String.valueOf(cpus.get(v)));
					}
				}
				else {
					pins = Map.of();
				}
				emulator = r.nextBoolean() ? "" : String.valueOf(hostCpus.get(r.nextInt(hostCpus.size())));
			}
			default -> {
				// pinned to a range, which is not 1:1
				pins = new TreeMap<>();
				for (int v = 0; v < vcpus; v++) {
					pins.put(v, "0-" + (hostCpus.size() - 1));
				}
			}
		}
		GuestFacts g = guest(name, vcpus, (1L + r.nextInt(32)) << 20, pins, emulator, r.nextInt(3));
		return r.nextInt(5) == 0 ? g.withState("running") : g;
	}

	static GuestFacts guest(String name, int vcpus, long memoryKb, Map<Integer, String> pins, String emulator, int iothreads) {
		Map<Integer, String> vcpuPins = pins == null ? Map.of() : pins;
		SortedSet<Integer> pinned = CpuSets.parse(vcpuPins.values());
		return new GuestFacts(name, null, "shut off", "kvm", vcpus, memoryKb, false, new ArrayList<>(pinned), null, "host-passthrough",
				null, null, null, null, null, null, vcpuPins, emulator, Map.of(), iothreads, null, null, null, List.of(), List.of(),
				null, null, List.<GuestCell>of(), List.of(), null);
	}

	/** Nodes of {@code cores} cores; with 2 threads, siblings n and n+total as Linux numbers them, or adjacent pairs. */
	public static KvmNodeFacts host(int nodes, int cores, int threads, boolean linuxNumbering, long nodeMemoryKb) {
		int total = nodes * cores;
		List<KvmNodeFacts.Cell> cells = new ArrayList<>();
		for (int n = 0; n < nodes; n++) {
			List<Integer> cpus = new ArrayList<>();
			List<List<Integer>> siblings = new ArrayList<>();
			for (int c = 0; c < cores; c++) {
				int core = n * cores + c;
				List<Integer> group = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					group.add(linuxNumbering ? core + t * total : core * threads + t);
				}
				cpus.addAll(group);
				siblings.add(group);
			}
			cpus.sort(null);
			cells.add(new KvmNodeFacts.Cell(n, nodeMemoryKb, List.of(), cpus, siblings));
		}
		return new KvmNodeFacts("test:///", "9.0.0", null, null, 1, 1, cores, threads, total * threads, nodeMemoryKb * nodes,
				List.of(4L, 2048L, 1048576L), cells, List.of(), List.of("qemu", "kvm"));
	}

	private static SortedSet<Integer> intersection(java.util.Collection<Integer> a, java.util.Collection<Integer> b) {
		SortedSet<Integer> out = new TreeSet<>(a);
		out.retainAll(b);
		return out;
	}

	private static List<Integer> range(int n) {
		List<Integer> out = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			out.add(i);
		}
		return out;
	}
}
