package io.virtwise.facts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the host offers for virtualisation. Every field may be {@code null} when it could not be read.
 *
 * @param conntrack the netfilter connection-tracking table's use and drops
 * @param ksm kernel samepage merging's state
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostFacts(
		String hostname,
		CpuFacts cpu,
		List<NumaNode> numaNodes,
		List<CacheInfo> caches,
		MemoryFacts memory,
		List<HugePagePool> hugePages,
		List<String> hugetlbfsMounts,
		ThpFacts thp,
		String cpuGovernor,
		VirtFacts virt,
		KernelFacts kernel,
		List<DiskInfo> disks,
		List<NicInfo> nics,
		ConntrackFacts conntrack,
		KsmFacts ksm) {

	public HostFacts {
		numaNodes = numaNodes == null ? null : List.copyOf(numaNodes);
		caches = caches == null ? null : List.copyOf(caches);
		hugePages = hugePages == null ? null : List.copyOf(hugePages);
		hugetlbfsMounts = hugetlbfsMounts == null ? null : List.copyOf(hugetlbfsMounts);
		disks = disks == null ? null : List.copyOf(disks);
		nics = nics == null ? null : List.copyOf(nics);
	}

	/** The host without the connection-tracking and KSM readings (unknown). */
	public HostFacts(String hostname, CpuFacts cpu, List<NumaNode> numaNodes, List<CacheInfo> caches, MemoryFacts memory,
			List<HugePagePool> hugePages, List<String> hugetlbfsMounts, ThpFacts thp, String cpuGovernor, VirtFacts virt,
			KernelFacts kernel, List<DiskInfo> disks, List<NicInfo> nics) {
		this(hostname, cpu, numaNodes, caches, memory, hugePages, hugetlbfsMounts, thp, cpuGovernor, virt, kernel, disks, nics,
				null, null);
	}

	/** Number of NUMA nodes, or {@code null} when unknown. */
	public Integer numaNodeCount() {
		return numaNodes == null ? null : numaNodes.size();
	}

	/** Huge pages reserved across all page sizes, or {@code null} when unknown. */
	public Long hugePagesReservedKb() {
		if (hugePages == null) {
			return null;
		}
		long kb = 0;
		for (HugePagePool pool : hugePages) {
			if (pool.total() == null) {
				return null;
			}
			kb += pool.total() * pool.pageSizeKb();
		}
		return kb;
	}
}
