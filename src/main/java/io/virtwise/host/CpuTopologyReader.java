package io.virtwise.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.virtwise.facts.CpuFacts;

/**
 * CPU topology from /sys/devices/system/cpu/cpuN/topology, identity and flags from /proc/cpuinfo.
 * When sysfs has no topology (some sandboxes hide it) the counts come from cpuinfo instead.
 */
final class CpuTopologyReader {

	/** The cpuinfo flags rules care about, in the order they are reported. */
	static final List<String> VIRT_FLAGS = List.of("vmx", "svm", "hypervisor");

	private static final Comparator<List<Integer>> BY_FIRST_CPU = Comparator.comparing(group -> group.get(0));

	private final HostRoots roots;

	CpuTopologyReader(HostRoots roots) {
		this.roots = roots;
	}

	/** {@code null} when neither sysfs nor cpuinfo tell anything. */
	CpuFacts read() {
		CpuInfoReader.CpuInfo info = new CpuInfoReader(roots).read();
		List<Cpu> cpus = sysfsCpus();
		if (cpus.isEmpty() && info != null) {
			for (CpuInfoReader.Processor p : info.processors()) {
				cpus.add(new Cpu(p.id(), p.physicalId(), p.coreId(), null));
			}
		}
		Integer threads = cpus.isEmpty() ? null : cpus.size();
		Integer sockets = null;
		Integer cores = null;
		List<List<Integer>> siblings = null;
		Integer threadsPerCore = null;
		if (!cpus.isEmpty()) {
			boolean packagesKnown = cpus.stream().allMatch(c -> c.packageId() != null);
			boolean coresKnown = packagesKnown && cpus.stream().allMatch(c -> c.coreId() != null);
			sockets = packagesKnown ? (int) cpus.stream().map(Cpu::packageId).distinct().count() : null;
			cores = coresKnown ? (int) cpus.stream().map(c -> List.of(c.packageId(), c.coreId())).distinct().count()
					: null;
			siblings = siblingGroups(cpus, coresKnown);
			threadsPerCore = siblings == null ? null : siblings.stream().mapToInt(List::size).max().orElse(0);
		}
		String model = info == null ? null : info.model();
		String vendor = info == null ? null : info.vendor();
		List<String> virtFlags = info == null || info.flags() == null ? null
				: VIRT_FLAGS.stream().filter(info.flags()::contains).toList();
		if (model == null && vendor == null && threads == null && virtFlags == null) {
			return null;
		}
		// threadsPerCore is the largest group: on hybrid CPUs (P-cores with SMT, E-cores without)
		// it still answers "does this host have hyper-threads at all".
		return new CpuFacts(model, vendor, sockets, cores, threads, threadsPerCore, siblings, virtFlags);
	}

	private record Cpu(int id, Integer packageId, Integer coreId, List<Integer> threadSiblings) {
	}

	private List<Cpu> sysfsCpus() {
		List<Cpu> cpus = new ArrayList<>();
		List<SysfsText.Numbered> dirs = SysfsText.numberedChildren(roots.sys().resolve("devices/system/cpu"), "cpu");
		if (dirs == null) {
			return cpus;
		}
		for (SysfsText.Numbered dir : dirs) {
			Path topology = dir.path().resolve("topology");
			// Offline CPUs lose their topology directory; they do not run anything.
			if (!Files.isDirectory(topology)) {
				continue;
			}
			cpus.add(new Cpu(dir.number(), SysfsText.readInt(topology.resolve("physical_package_id")),
					SysfsText.readInt(topology.resolve("core_id")),
					SysfsText.parseCpuList(SysfsText.read(topology.resolve("thread_siblings_list")))));
		}
		return cpus;
	}

	/** Distinct hyper-thread groups sorted by first CPU; from sysfs lists, else by (package, core). */
	private static List<List<Integer>> siblingGroups(List<Cpu> cpus, boolean coresKnown) {
		boolean listsKnown = cpus.stream()
			.allMatch(c -> c.threadSiblings() != null && c.threadSiblings().contains(c.id()));
		List<List<Integer>> groups = new ArrayList<>();
		if (listsKnown) {
			Set<List<Integer>> seen = new HashSet<>();
			for (Cpu cpu : cpus) {
				if (seen.add(cpu.threadSiblings())) {
					groups.add(cpu.threadSiblings());
				}
			}
		}
		else if (coresKnown) {
			Map<List<Integer>, List<Integer>> byCore = new LinkedHashMap<>();
			for (Cpu cpu : cpus) {
				byCore.computeIfAbsent(List.of(cpu.packageId(), cpu.coreId()), k -> new ArrayList<>()).add(cpu.id());
			}
			for (List<Integer> group : byCore.values()) {
				group.sort(null);
				groups.add(List.copyOf(group));
			}
		}
		else {
			return null;
		}
		groups.sort(BY_FIRST_CPU);
		return List.copyOf(groups);
	}
}
