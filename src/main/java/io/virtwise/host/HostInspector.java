package io.virtwise.host;

import java.util.function.Supplier;

import io.virtwise.facts.CpuFacts;
import io.virtwise.facts.HostFacts;

/**
 * Reads one host through procfs and sysfs into {@link HostFacts}. Every part is read on its own,
 * so a file that is missing, unreadable or garbled leaves only its part {@code null}.
 */
public final class HostInspector {

	private static final System.Logger LOG = System.getLogger(HostInspector.class.getName());

	private final HostRoots roots;
	private final Supplier<String> cpuModelFallback;

	/** Reads only the given tree; nothing comes from the real machine. */
	public HostInspector(HostRoots roots) {
		this(roots, () -> null);
	}

	/** {@code cpuModelFallback} names the CPU when /proc/cpuinfo has no model name; it may return {@code null}. */
	public HostInspector(HostRoots roots, Supplier<String> cpuModelFallback) {
		this.roots = roots;
		this.cpuModelFallback = cpuModelFallback;
	}

	/** The running machine, with oshi filling the CPU model where /proc/cpuinfo lacks one. */
	public static HostInspector live() {
		return new HostInspector(HostRoots.live(), OshiIdentity::cpuModel);
	}

	public HostRoots roots() {
		return roots;
	}

	/** Never throws for an unreadable host: whatever cannot be read is {@code null}. */
	public HostFacts inspect() {
		HugePagesReader hugePages = new HugePagesReader(roots);
		return new HostFacts(
				part("hostname", this::hostname),
				part("cpu", () -> withModel(new CpuTopologyReader(roots).read())),
				part("numa", new NumaReader(roots)::read),
				part("caches", new CacheReader(roots)::read),
				part("memory", new MemoryReader(roots)::read),
				part("huge pages", hugePages::pools),
				part("hugetlbfs mounts", hugePages::hugetlbfsMounts),
				part("thp", new ThpReader(roots)::read),
				part("cpu governor", new GovernorReader(roots)::read),
				part("virt", new VirtReader(roots)::read),
				part("kernel", new KernelReader(roots)::read),
				part("disks", new DiskReader(roots)::read),
				part("nics", new NicReader(roots)::read),
				part("conntrack", new ConntrackReader(roots)::read),
				part("ksm", new KsmReader(roots)::read));
	}

	private String hostname() {
		String name = SysfsText.read(roots.proc().resolve("sys/kernel/hostname"));
		return name == null || name.isEmpty() ? null : name;
	}

	private CpuFacts withModel(CpuFacts cpu) {
		if (cpu != null && cpu.model() != null) {
			return cpu;
		}
		String model = part("cpu model fallback", cpuModelFallback);
		if (model == null) {
			return cpu;
		}
		return cpu == null ? new CpuFacts(model, null, null, null, null, null, null, null)
				: new CpuFacts(model, cpu.vendor(), cpu.sockets(), cpu.cores(), cpu.threads(), cpu.threadsPerCore(),
						cpu.siblings(), cpu.virtFlags());
	}

	private static <T> T part(String what, Supplier<T> reader) {
		try {
			return reader.get();
		}
		catch (RuntimeException e) {
			LOG.log(System.Logger.Level.DEBUG, () -> "could not read " + what + " of the host", e);
			return null;
		}
	}
}
