package io.virtwise.advice.fix;

import io.virtwise.facts.CpuSets;
import io.virtwise.advice.Figures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.KvmNodeFacts;

/**
 * One host-wide huge page reservation, worked out from every guest at once: the guests that are
 * backed by huge pages and those the advice backs, each on the node its vCPUs are planned on (a
 * guest split over nodes, per cell), 1 GiB pages for large guests where the host offers them. Every
 * fix that needs pages refers to this plan, so the host is told one count per node and page size.
 * Pages held by running guests are in use; everyone else needs free pages before it can start.
 */
public final class PagePlan {

	static final long SMALL_KB = 2048;
	static final long GIGANTIC_KB = 1024 * 1024;
	/** From this size a guest gets 1 GiB pages, where its memory (each cell's) is whole GiB: fewer TLB entries still. */
	static final long GIGANTIC_FROM_KB = 4 * GIGANTIC_KB;

	/** The pages one guest needs on one node. */
	public record Need(String guest, int node, long pageSizeKb, long pages, boolean held) {
	}

	/**
	 * The reservation for one node and page size.
	 *
	 * @param total pages reserved there now
	 * @param free of those, the pages no guest holds now (null when unknown, as for a remote libvirt)
	 * @param target what to reserve so every guest fits: the current total plus what the free pages lack
	 * @param nodeMemoryKb the node's memory, against which the target is checked
	 */
	public record Pool(int node, long pageSizeKb, long total, Long free, long target, Long nodeMemoryKb, boolean fitsAll) {

		/** Not every guest's pages fit the node once the host keeps its share (as the CPU plan counts it). */
		public boolean overcommitted() {
			return !fitsAll;
		}

		public boolean changes() {
			return target != total;
		}
	}

	private final Map<String, List<Need>> needs;
	private final List<Pool> pools;
	private final Map<String, String> short_;
	private final java.util.Set<String> moved;

	private final java.util.Set<String> unfit;

	private PagePlan(Map<String, List<Need>> needs, List<Pool> pools, Map<String, String> shortOf, java.util.Set<String> moved,
			java.util.Set<String> unfit) {
		this.needs = needs;
		this.pools = List.copyOf(pools);
		this.short_ = shortOf;
		this.moved = moved;
		this.unfit = unfit;
	}

	/** Whether the CPU plan's fix moves the guest's memory to other nodes, where the plan reserves its pages. */
	public boolean movesMemory(String guest) {
		return moved.contains(guest);
	}

	/** Whether some of the guest's pages find no room on their node: its huge page edit would not start. */
	public boolean overcommittedFor(String guest) {
		return unfit.contains(guest);
	}

	public List<Pool> pools() {
		return pools;
	}

	/** The pools whose count must change. */
	public List<Pool> changes() {
		return pools.stream().filter(Pool::changes).toList();
	}

	public List<Need> needsOf(String guest) {
		return needs.getOrDefault(guest, List.of());
	}

	/** The page size the plan gives this guest, or null when it is not in the plan. */
	public Long pageSizeOf(String guest) {
		List<Need> mine = needsOf(guest);
		return mine.isEmpty() ? null : mine.get(0).pageSizeKb();
	}

	/** Why a guest backed by huge pages cannot start with today's reservation; null when it can (or is not backed). */
	public String whyShort(String guest) {
		return short_.get(guest);
	}

	/**
	 * The plan for the guests backed by huge pages and those the advice would back (KVM guests on a
	 * host that offers 2 MiB pages); null when the host's cells or page sizes are unknown.
	 */
	public static PagePlan of(KvmNodeFacts host, Collection<GuestFacts> guests, CpuPlan cpu) {
		if (host == null || host.cells() == null || host.cells().isEmpty() || !sizes(host).contains(SMALL_KB)) {
			return null;
		}
		Map<String, List<Need>> needs = new LinkedHashMap<>();
		java.util.Set<String> moved = new java.util.TreeSet<>();
		// guests held to nodes (now, or by their placement fix) first; the others' pages can come from any node, and are
		// counted where most room is left
		List<GuestFacts> sorted = guests.stream().filter(g -> g.name() != null && g.memoryKb() != null && g.memoryKb() > 0)
			.sorted(Comparator.comparing((GuestFacts g) -> !heldToNodes(g, cpu == null ? null : cpu.placement(g.name())))
				.thenComparing(g -> !g.running()).thenComparing(GuestFacts::name)).toList();
		Map<Integer, Long> plannedKb = new TreeMap<>();
		for (GuestFacts g : sorted) {
			boolean backed = Boolean.TRUE.equals(g.hugepageBacked());
			// backed already, or a KVM guest the advice will back (one read from its XML, which the fix edits; never one whose
			// memory source is anonymous, where libvirt refuses huge pages)
			if (!backed && !backs(g)) {
				continue;
			}
			CpuPlan.Placement p = cpu == null ? null : cpu.placement(g.name());
			// bound now: by numatune or memnodes; after the fixes: by those, by the pins the plan keeps, or by its placement fix
			boolean boundNow = CpuPlan.boundNode(g) != null || !g.details().memnodes().isEmpty();
			boolean boundAfter = heldToNodes(g, p);
			List<Share> now = boundNow ? shares(host, g, null, plannedKb) : null;
			long size;
			List<Share> after;
			if (boundAfter) {
				after = moves(p) || p != null && p.node() != null ? shares(host, g, p, plannedKb) : now;
				size = backed ? (g.hugepageSizeKb() != null ? g.hugepageSizeKb() : SMALL_KB) : sizeFor(host, g, after);
			}
			else {
				// held to no node: the kernel takes its pages from any node, so they are counted where room is left
				size = backed ? (g.hugepageSizeKb() != null ? g.hugepageSizeKb() : SMALL_KB)
						: sizeFor(host, g, List.of(new Share(0, g.memoryKb(), null)));
				after = spread(host, g.memoryKb(), size, plannedKb);
			}
			boolean staysPut = boundNow && sameNodes(now, after);
			if (boundAfter && !staysPut) {
				moved.add(g.name());
			}
			List<Need> mine = new ArrayList<>();
			boolean held = backed && g.running();
			if (held && boundNow && !staysPut) {
				// running and moving: its pages stay in use where they are until it stops, and the new node needs its own
				now.forEach(sh -> mine.add(need(g, sh, size, true)));
				after.forEach(sh -> mine.add(need(g, sh, size, false)));
			}
			else if (held && !boundNow && boundAfter) {
				// it holds pages wherever the kernel found them; once bound, it needs its own on the node it is bound to
				after.forEach(sh -> mine.add(need(g, sh, size, false)));
			}
			else {
				after.forEach(sh -> mine.add(need(g, sh, size, held)));
			}
			needs.put(g.name(), mine);
			mine.stream().filter(n -> !n.held()).forEach(n -> plannedKb.merge(n.node(), n.pages() * n.pageSizeKb(), Long::sum));
		}
		Map<String, String> shortOf = new TreeMap<>();
		List<Pool> pools = new ArrayList<>();
		Map<List<Long>, List<Need>> byPool = new TreeMap<>(Comparator.comparing((List<Long> k) -> k.get(0))
			.thenComparing(k -> k.get(1)));
		needs.values().forEach(list -> list.forEach(n -> byPool.computeIfAbsent(List.of((long) n.node(), n.pageSizeKb()),
				k -> new ArrayList<>()).add(n)));
		// node by node, guests in plan order (those held to nodes first): a need is covered while the node has room for it
		java.util.Set<Need> uncovered = new java.util.HashSet<>();
		Map<Integer, List<Need>> byNode = new TreeMap<>();
		needs.values().forEach(list -> list.forEach(n -> byNode.computeIfAbsent(n.node(), k -> new ArrayList<>()).add(n)));
		byNode.forEach((node, list) -> {
			KvmNodeFacts.Cell cell = host.cells().stream().filter(c -> c.id() == node).findFirst().orElse(null);
			long room = cell == null ? Long.MAX_VALUE : room(cell, Map.of());
			long used = 0;
			for (Need n : list) {
				used += n.pages() * n.pageSizeKb();
				if (!n.held() && used > room) {
					uncovered.add(n);
				}
			}
		});
		for (Map.Entry<List<Long>, List<Need>> e : byPool.entrySet()) {
			int node = e.getKey().get(0).intValue();
			long size = e.getKey().get(1);
			KvmNodeFacts.Cell cell = host.cells().stream().filter(c -> c.id() == node).findFirst().orElse(null);
			KvmNodeFacts.Pages pages = cell == null ? null : cell.pagesOf(size);
			long total = pages == null || pages.total() == null ? 0 : pages.total();
			long held = e.getValue().stream().filter(Need::held).mapToLong(Need::pages).sum();
			Long free = pages == null ? null : pages.free();
			long available = free != null ? free : Math.max(0, total - held);
			long wanted = e.getValue().stream().filter(n -> !n.held() && !uncovered.contains(n)).mapToLong(Need::pages).sum();
			boolean fitsAll = e.getValue().stream().noneMatch(uncovered::contains);
			pools.add(new Pool(node, size, total, free, total + Math.max(0, wanted - available), cell == null ? null : cell.memoryKb(),
					fitsAll));
			// Backed guests that are not running start in order while the free pages last; the rest cannot start.
			long left = available;
			for (Need n : e.getValue()) {
				GuestFacts g = sorted.stream().filter(x -> x.name().equals(n.guest())).findFirst().orElseThrow();
				if (n.held() || !Boolean.TRUE.equals(g.hugepageBacked())) {
					continue;
				}
				if (n.pages() <= left) {
					left -= n.pages();
				}
				else {
					shortOf.put(n.guest(), "it needs " + n.pages() + " free pages of " + Figures.binary(size * 1024) + " on node " + node
							+ ", which has " + left + " free of " + total + " reserved"
							+ (uncovered.contains(n) ? ", and the node has no room left to reserve them" : ""));
				}
			}
		}
		java.util.Set<String> unfit = new java.util.TreeSet<>();
		uncovered.forEach(n -> unfit.add(n.guest()));
		return new PagePlan(needs, pools, shortOf, moved, unfit);
	}

	/** A part of a guest's memory on one host node: the whole of it, or one of its cells. */
	private record Share(int node, long memoryKb, Integer cell) {
	}

	/** Whether the advice backs this guest with huge pages (KVM-HUGEPAGES-GUEST fires on it). */
	public static boolean backs(GuestFacts g) {
		return "kvm".equals(g.accel()) && Boolean.FALSE.equals(g.hugepageBacked()) && g.domainXml() != null
				&& !"anonymous".equals(g.details().memorySource());
	}

	/** Whether the plan's fix moves the guest's memory (its placement is a new one, not its pins as they are). */
	private static boolean moves(CpuPlan.Placement p) {
		return p != null && (p.kind() == CpuPlan.Kind.DEDICATED || p.kind() == CpuPlan.Kind.SPLIT);
	}

	private static Need need(GuestFacts g, Share share, long defaultSize, boolean held) {
		long size = share.cell() != null && g.details().pageSizeByCell().containsKey(share.cell())
				? g.details().pageSizeByCell().get(share.cell()) : defaultSize;
		return new Need(g.name(), share.node(), size, (share.memoryKb() + size - 1) / size, held);
	}

	private static boolean sameNodes(List<Share> a, List<Share> b) {
		return new java.util.TreeSet<>(a.stream().map(Share::node).toList()).equals(new java.util.TreeSet<>(b.stream().map(Share::node).toList()));
	}

	/**
	 * Where the guest's memory comes from: per planned cell for a guest split over nodes; its own cells
	 * on the nodes their memnodes name (else where their vCPUs are pinned); its planned or pinned node;
	 * its numatune node; else the node with the most memory (a single-node host's only one).
	 */
	/** Memory held to no node, in whole pages over the nodes with the most room left once others' pages are counted. */
	private static List<Share> spread(KvmNodeFacts host, long memoryKb, long pageSizeKb, Map<Integer, Long> plannedKb) {
		List<KvmNodeFacts.Cell> byRoom = host.cells().stream()
			.sorted(Comparator.comparingLong((KvmNodeFacts.Cell c) -> -room(c, plannedKb)).thenComparingInt(KvmNodeFacts.Cell::id)).toList();
		List<Share> out = new ArrayList<>();
		long pagesLeft = (memoryKb + pageSizeKb - 1) / pageSizeKb;
		for (KvmNodeFacts.Cell c : byRoom) {
			if (pagesLeft == 0) {
				break;
			}
			long fits = Math.max(0, room(c, plannedKb) / pageSizeKb);
			long pages = c == byRoom.get(byRoom.size() - 1) ? pagesLeft : Math.min(pagesLeft, fits);
			if (pages > 0) {
				out.add(new Share(c.id(), pages * pageSizeKb, null));
				pagesLeft -= pages;
			}
		}
		if (out.isEmpty()) {
			out.add(new Share(byRoom.get(0).id(), memoryKb, null));
		}
		return out;
	}

	/** A node's memory the host does not keep, less what guests' pages already take there. */
	private static long room(KvmNodeFacts.Cell c, Map<Integer, Long> plannedKb) {
		long memory = c.memoryKb() == null ? Long.MAX_VALUE / 4 : c.memoryKb();
		return memory - Math.min(memory / 8, CpuPlan.HOST_RESERVE_KB) - plannedKb.getOrDefault(c.id(), 0L);
	}

	/** Whether the guest's memory is held to nodes: by numatune or memnodes now, by kept pins, or by its placement fix. */
	private static boolean heldToNodes(GuestFacts g, CpuPlan.Placement p) {
		return CpuPlan.boundNode(g) != null || !g.details().memnodes().isEmpty() || p != null && p.node() != null || moves(p);
	}

	private static List<Share> shares(KvmNodeFacts host, GuestFacts g, CpuPlan.Placement p, Map<Integer, Long> plannedKb) {
		List<Share> out = new ArrayList<>();
		if (p != null && !p.cells().isEmpty()) {
			p.cells().forEach(c -> out.add(new Share(c.hostNode(), c.memoryKb(), c.id())));
			return out;
		}
		if (g.numaCells() != null && !g.numaCells().isEmpty() && (p == null || p.kind() != CpuPlan.Kind.DEDICATED)) {
			for (io.virtwise.facts.GuestCell cell : g.numaCells()) {
				Integer node = memnodeNode(g, cell.id());
				if (node == null && p != null && !p.vcpuToCpu().isEmpty()) {
					java.util.SortedSet<Integer> vcpus = cell.cpus() == null ? null : CpuSets.parse(List.of(cell.cpus()));
					Integer cpu = vcpus == null || vcpus.isEmpty() ? null : p.vcpuToCpu().get(vcpus.first());
					node = cpu == null ? null : host.cells().stream().filter(c -> c.cpus().contains(cpu))
						.map(KvmNodeFacts.Cell::id).findFirst().orElse(null);
				}
				if (node == null || cell.memoryKb() == null) {
					out.clear();
					break;
				}
				out.add(new Share(node, cell.memoryKb(), cell.id()));
			}
			if (!out.isEmpty()) {
				return out;
			}
		}
		Integer node = p != null ? p.node() : null;
		if (node == null && g.numaNodes() != null && g.numaNodes().size() == 1) {
			node = g.numaNodes().get(0);
		}
		if (node == null) {
			// held to no node: count it where the most memory is left once the other guests' pages are counted
			node = host.cells().stream().max(Comparator.comparingLong((KvmNodeFacts.Cell c) -> (c.memoryKb() == null ? 0 : c.memoryKb())
				- plannedKb.getOrDefault(c.id(), 0L)).thenComparingInt(c -> -c.id())).orElseThrow().id();
		}
		// one share, but each of its own cells still takes its own page size
		if (g.numaCells() != null && !g.numaCells().isEmpty() && !g.details().pageSizeByCell().isEmpty()) {
			for (io.virtwise.facts.GuestCell cell : g.numaCells()) {
				out.add(new Share(node, cell.memoryKb() == null ? 0 : cell.memoryKb(), cell.id()));
			}
			return out;
		}
		out.add(new Share(node, g.memoryKb(), null));
		return out;
	}

	/** The one node a guest cell's memnode names, or null. */
	private static Integer memnodeNode(GuestFacts g, int cell) {
		String nodeset = g.details().memnodes().get(cell);
		java.util.SortedSet<Integer> nodes = nodeset == null ? null : CpuSets.parse(List.of(nodeset));
		return nodes != null && nodes.size() == 1 ? nodes.first() : null;
	}

	/**
	 * 1 GiB pages for a large guest whose memory on every node (and in every cell) is whole GiB, where the host
	 * has them; else 2 MiB. Never for a guest with memory hotplug (maxMemory): its DIMMs are backends of their own.
	 */
	private static long sizeFor(KvmNodeFacts host, GuestFacts g, List<Share> shares) {
		long total = shares.stream().mapToLong(Share::memoryKb).sum();
		boolean whole = shares.stream().allMatch(sh -> sh.memoryKb() % GIGANTIC_KB == 0);
		boolean hotplug = g.domainXml() != null && g.domainXml().contains("<maxMemory");
		return sizes(host).contains(GIGANTIC_KB) && total >= GIGANTIC_FROM_KB && whole && !hotplug ? GIGANTIC_KB : SMALL_KB;
	}

	/** The page sizes the host offers: those its CPU lists, and those its cells keep pools of. */
	private static java.util.Set<Long> sizes(KvmNodeFacts host) {
		java.util.Set<Long> sizes = new java.util.TreeSet<>();
		if (host.pageSizesKb() != null) {
			sizes.addAll(host.pageSizesKb());
		}
		host.cells().forEach(c -> {
			if (c.pages() != null) {
				c.pages().forEach(p -> sizes.add(p.sizeKb()));
			}
		});
		return sizes;
	}

	/** sysfs's file for one node's pool of one page size. */
	public static String poolFile(int node, long pageSizeKb) {
		return "/sys/devices/system/node/node" + node + "/hugepages/hugepages-" + pageSizeKb + "kB/nr_hugepages";
	}

	/**
	 * The commands that make the reservation: hugetlbfs mounts for each page size used, one count per
	 * node and page size (each written once, by this plan only), a check that the kernel found the
	 * pages, and a boot-time line that keeps them.
	 */
	public List<String> reserveLines() {
		List<String> out = new ArrayList<>();
		boolean gigantic = pools.stream().anyMatch(p -> p.pageSizeKb() == GIGANTIC_KB);
		out.add("mountpoint -q /dev/hugepages || mount -t hugetlbfs hugetlbfs /dev/hugepages   # then restart libvirtd: it looks for hugetlbfs mounts when it starts");
		if (gigantic) {
			out.add("mkdir -p /dev/hugepages1G && (mountpoint -q /dev/hugepages1G || mount -t hugetlbfs -o pagesize=1G hugetlbfs /dev/hugepages1G)   # 1 GiB pages need a mount of their own");
		}
		for (Pool p : pools) {
			if (p.overcommitted()) {
				out.add("# node " + p.node() + " has no room for the " + Figures.binary(p.pageSizeKb() * 1024) + " pages of "
						+ String.join(", ", unfitOn(p)) + " (it has " + Figures.binary(p.nodeMemoryKb() * 1024)
						+ "): move a guest to another node or shrink one; only what fits is reserved");
			}
		}
		for (Pool p : changes()) {
			out.add("echo " + p.target() + " > " + poolFile(p.node(), p.pageSizeKb()) + "   # was " + p.total());
		}
		for (Pool p : changes()) {
			out.add("cat " + poolFile(p.node(), p.pageSizeKb()) + "   # must say " + p.target()
					+ ": fewer means the node's memory is too fragmented; free memory and write it again, or reserve at boot");
		}
		StringBuilder boot = new StringBuilder();
		for (Pool p : pools) {
			boot.append(boot.length() == 0 ? "" : "\\n").append("w ").append(poolFile(p.node(), p.pageSizeKb())).append(" - - - - ")
				.append(p.target());
		}
		if (boot.length() > 0) {
			out.add("printf '" + boot + "\\n' > /etc/tmpfiles.d/virtwise-hugepages.conf   # the same counts at every boot"
					+ (gigantic ? " (1 GiB pages are surer at boot: hugepagesz=1G hugepages=N on the kernel command line)" : ""));
		}
		return out;
	}

	/** The counts as they were, and the boot-time file removed. */
	public List<String> rollbackLines() {
		List<String> out = new ArrayList<>();
		for (Pool p : changes()) {
			out.add("echo " + p.total() + " > " + poolFile(p.node(), p.pageSizeKb()) + "   # pages a running guest holds stay until it stops");
		}
		out.add("rm -f /etc/tmpfiles.d/virtwise-hugepages.conf");
		return out;
	}

	/** The guests whose pages of this pool's size find no room on its node. */
	private List<String> unfitOn(Pool p) {
		return needs.values().stream().flatMap(List::stream)
			.filter(n -> n.node() == p.node() && n.pageSizeKb() == p.pageSizeKb() && unfit.contains(n.guest()))
			.map(Need::guest).distinct().toList();
	}

	/** The nodes a set of pools touches, for messages. */
	static SortedSet<Integer> nodesOf(List<Pool> pools) {
		SortedSet<Integer> nodes = new java.util.TreeSet<>();
		pools.forEach(p -> nodes.add(p.node()));
		return nodes;
	}
}
