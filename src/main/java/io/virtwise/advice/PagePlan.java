package io.virtwise.advice;

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
	public record Pool(int node, long pageSizeKb, long total, Long free, long target, Long nodeMemoryKb) {

		/** More pages than leave the host a quarter of the node: the plan does not fit this node. */
		public boolean overcommitted() {
			return nodeMemoryKb != null && target * pageSizeKb > nodeMemoryKb / 4 * 3;
		}

		public boolean changes() {
			return target != total;
		}
	}

	private final Map<String, List<Need>> needs;
	private final List<Pool> pools;
	private final Map<String, String> short_;

	private PagePlan(Map<String, List<Need>> needs, List<Pool> pools, Map<String, String> shortOf) {
		this.needs = needs;
		this.pools = List.copyOf(pools);
		this.short_ = shortOf;
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
		List<GuestFacts> sorted = guests.stream().filter(g -> g.name() != null && g.memoryKb() != null && g.memoryKb() > 0)
			.sorted(Comparator.comparing((GuestFacts g) -> !g.running()).thenComparing(GuestFacts::name)).toList();
		for (GuestFacts g : sorted) {
			boolean backed = Boolean.TRUE.equals(g.hugepageBacked());
			// backed already, or a KVM guest the advice will back (one read from its XML, which the fix edits)
			if (!backed && !("kvm".equals(g.accel()) && Boolean.FALSE.equals(g.hugepageBacked()) && g.domainXml() != null)) {
				continue;
			}
			CpuPlan.Placement p = cpu == null ? null : cpu.placement(g.name());
			Map<Integer, Long> memoryByNode = memoryByNode(host, g, p);
			long size = backed ? (g.hugepageSizeKb() != null ? g.hugepageSizeKb() : SMALL_KB) : sizeFor(host, memoryByNode);
			List<Need> mine = new ArrayList<>();
			memoryByNode.forEach((node, kb) -> mine.add(new Need(g.name(), node, size, (kb + size - 1) / size,
					backed && g.running())));
			needs.put(g.name(), mine);
		}
		Map<String, String> shortOf = new TreeMap<>();
		List<Pool> pools = new ArrayList<>();
		Map<List<Long>, List<Need>> byPool = new TreeMap<>(Comparator.comparing((List<Long> k) -> k.get(0))
			.thenComparing(k -> k.get(1)));
		needs.values().forEach(list -> list.forEach(n -> byPool.computeIfAbsent(List.of((long) n.node(), n.pageSizeKb()),
				k -> new ArrayList<>()).add(n)));
		for (Map.Entry<List<Long>, List<Need>> e : byPool.entrySet()) {
			int node = e.getKey().get(0).intValue();
			long size = e.getKey().get(1);
			KvmNodeFacts.Cell cell = host.cells().stream().filter(c -> c.id() == node).findFirst().orElse(null);
			KvmNodeFacts.Pages pages = cell == null ? null : cell.pagesOf(size);
			long total = pages == null || pages.total() == null ? 0 : pages.total();
			long held = e.getValue().stream().filter(Need::held).mapToLong(Need::pages).sum();
			Long free = pages == null ? null : pages.free();
			long available = free != null ? free : Math.max(0, total - held);
			long wanted = e.getValue().stream().filter(n -> !n.held()).mapToLong(Need::pages).sum();
			pools.add(new Pool(node, size, total, free, total + Math.max(0, wanted - available), cell == null ? null : cell.memoryKb()));
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
							+ ", which has " + left + " free of " + total + " reserved");
				}
			}
		}
		return new PagePlan(needs, pools, shortOf);
	}

	/**
	 * Where the guest's memory comes from: per cell for a guest split over nodes, its node when it
	 * is pinned to one, its numatune node, else the node with the most memory (a single-node host's only one).
	 */
	private static Map<Integer, Long> memoryByNode(KvmNodeFacts host, GuestFacts g, CpuPlan.Placement p) {
		Map<Integer, Long> out = new TreeMap<>();
		if (p != null && !p.cells().isEmpty()) {
			p.cells().forEach(c -> out.merge(c.hostNode(), c.memoryKb(), Long::sum));
			return out;
		}
		// its own cells, each on the node its vCPUs are pinned to
		if (p != null && !p.vcpuToCpu().isEmpty() && g.numaCells() != null && g.numaCells().size() >= 2) {
			for (io.virtwise.facts.GuestCell cell : g.numaCells()) {
				java.util.SortedSet<Integer> vcpus = cell.cpus() == null ? null : CpuSets.parse(List.of(cell.cpus()));
				Integer cpu = vcpus == null || vcpus.isEmpty() ? null : p.vcpuToCpu().get(vcpus.first());
				Integer node = cpu == null ? null : host.cells().stream().filter(c -> c.cpus().contains(cpu))
					.map(KvmNodeFacts.Cell::id).findFirst().orElse(null);
				if (node == null || cell.memoryKb() == null) {
					out.clear();
					break;
				}
				out.merge(node, cell.memoryKb(), Long::sum);
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
			node = host.cells().stream().max(Comparator.comparingLong((KvmNodeFacts.Cell c) -> c.memoryKb() == null ? 0 : c.memoryKb())
				.thenComparingInt(c -> -c.id())).orElseThrow().id();
		}
		out.put(node, g.memoryKb());
		return out;
	}

	/** 1 GiB pages for a large guest whose memory on every node is whole GiB, where the host has them; else 2 MiB. */
	private static long sizeFor(KvmNodeFacts host, Map<Integer, Long> memoryByNode) {
		long total = memoryByNode.values().stream().mapToLong(Long::longValue).sum();
		boolean whole = memoryByNode.values().stream().allMatch(kb -> kb % GIGANTIC_KB == 0);
		return sizes(host).contains(GIGANTIC_KB) && total >= GIGANTIC_FROM_KB && whole ? GIGANTIC_KB : SMALL_KB;
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
		for (Pool p : changes()) {
			if (p.overcommitted()) {
				out.add("# node " + p.node() + " cannot hold " + p.target() + " pages of " + Figures.binary(p.pageSizeKb() * 1024) + " (it has "
						+ Figures.binary(p.nodeMemoryKb() * 1024) + "): move a guest to another node or shrink one; nothing is reserved there");
				continue;
			}
			out.add("echo " + p.target() + " > " + poolFile(p.node(), p.pageSizeKb()) + "   # was " + p.total());
		}
		for (Pool p : changes()) {
			if (!p.overcommitted()) {
				out.add("cat " + poolFile(p.node(), p.pageSizeKb()) + "   # must say " + p.target()
						+ ": fewer means the node's memory is too fragmented; free memory and write it again, or reserve at boot");
			}
		}
		StringBuilder boot = new StringBuilder();
		for (Pool p : pools) {
			if (!p.overcommitted()) {
				boot.append(boot.length() == 0 ? "" : "\\n").append("w ").append(poolFile(p.node(), p.pageSizeKb())).append(" - - - - ")
					.append(p.changes() ? p.target() : p.total());
			}
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
			if (!p.overcommitted()) {
				out.add("echo " + p.total() + " > " + poolFile(p.node(), p.pageSizeKb()) + "   # pages a running guest holds stay until it stops");
			}
		}
		out.add("rm -f /etc/tmpfiles.d/virtwise-hugepages.conf");
		return out;
	}

	/** The nodes a set of pools touches, for messages. */
	static SortedSet<Integer> nodesOf(List<Pool> pools) {
		SortedSet<Integer> nodes = new java.util.TreeSet<>();
		pools.forEach(p -> nodes.add(p.node()));
		return nodes;
	}
}
