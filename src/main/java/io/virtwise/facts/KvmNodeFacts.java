package io.virtwise.facts;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The host as libvirt sees it ({@code virsh capabilities} and node info): NUMA cells with their
 * CPUs, memory and huge pages, cache banks, supported page sizes, the CPU topology libvirt
 * reports, and which domain types (qemu, kvm) this libvirt can run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KvmNodeFacts(
		String uri,
		String libvirtVersion,
		String cpuModel,
		String cpuVendor,
		Integer sockets,
		Integer dies,
		Integer cores,
		Integer threads,
		Integer cpus,
		Long memoryKb,
		List<Long> pageSizesKb,
		List<Cell> cells,
		List<CacheBank> caches,
		List<String> domainTypes,
		List<String> kvmArchs) {

	public KvmNodeFacts {
		kvmArchs = kvmArchs == null ? null : List.copyOf(kvmArchs);
		pageSizesKb = pageSizesKb == null ? null : List.copyOf(pageSizesKb);
		cells = cells == null ? null : List.copyOf(cells);
		caches = caches == null ? null : List.copyOf(caches);
		domainTypes = domainTypes == null ? null : List.copyOf(domainTypes);
	}

	/** One NUMA cell. {@code siblings} groups the cell's CPUs by physical core (hyper-thread siblings). */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Cell(int id, Long memoryKb, List<Pages> pages, List<Integer> cpus, List<List<Integer>> siblings) {

		public Cell {
			pages = pages == null ? null : List.copyOf(pages);
			cpus = cpus == null ? null : List.copyOf(cpus);
			siblings = siblings == null ? null : siblings.stream().map(List::copyOf).toList();
		}

		/** The pool of one page size in this cell, or {@code null}. */
		public Pages pagesOf(long sizeKb) {
			return pages == null ? null : pages.stream().filter(p -> p.sizeKb() == sizeKb).findFirst().orElse(null);
		}
	}

	/** Pages of one size in a cell: {@code total} from capabilities, {@code free} when it could be read. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Pages(long sizeKb, Long total, Long free) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record CacheBank(int id, int level, String type, Long sizeKb, List<Integer> cpus) {

		public CacheBank {
			cpus = cpus == null ? null : List.copyOf(cpus);
		}
	}

	/** Logical CPUs over all cells, or {@code null} when a cell's CPUs are unknown. */
	public Integer cellCpuCount() {
		if (cells == null || cells.isEmpty()) {
			return cpus;
		}
		int n = 0;
		for (Cell cell : cells) {
			if (cell.cpus() == null) {
				return cpus;
			}
			n += cell.cpus().size();
		}
		return n;
	}

	/** Without the architectures KVM serves (kvmArchs). */
	public KvmNodeFacts(String uri, String libvirtVersion, String cpuModel, String cpuVendor, Integer sockets, Integer dies,
			Integer cores, Integer threads, Integer cpus, Long memoryKb, List<Long> pageSizesKb, List<Cell> cells,
			List<CacheBank> caches, List<String> domainTypes) {
		this(uri, libvirtVersion, cpuModel, cpuVendor, sockets, dies, cores, threads, cpus, memoryKb, pageSizesKb, cells, caches,
				domainTypes, null);
	}

	public boolean supportsKvm() {
		return domainTypes != null && domainTypes.contains("kvm");
	}

	/** Whether KVM runs guests of this architecture here (KVM runs only the host's own); unknown arch: any. */
	public boolean supportsKvm(String arch) {
		if (!supportsKvm()) {
			return false;
		}
		return arch == null || kvmArchs == null || kvmArchs.contains(arch);
	}

	/** The cells as the host model's NUMA nodes, for code shared with the host rules. */
	public List<NumaNode> numaNodes() {
		List<NumaNode> nodes = new ArrayList<>();
		if (cells != null) {
			for (Cell cell : cells) {
				nodes.add(new NumaNode(cell.id(), cell.cpus(), cell.memoryKb(), null));
			}
		}
		return nodes;
	}

	/** Hyper-thread sibling groups over all cells. */
	public List<List<Integer>> siblings() {
		List<List<Integer>> all = new ArrayList<>();
		if (cells != null) {
			for (Cell cell : cells) {
				if (cell.siblings() != null) {
					all.addAll(cell.siblings());
				}
			}
		}
		return all;
	}
}
