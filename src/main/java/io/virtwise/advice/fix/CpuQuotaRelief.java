package io.virtwise.advice.fix;

import io.virtwise.facts.CpuSets;
import io.virtwise.advice.Figures;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import io.virtwise.docker.runline.DockerRunLine;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.NumaNode;

/**
 * Containers held back by their CFS quota ({@code --cpus}, or {@code --cpu-quota}/{@code --cpu-period}),
 * and for each one a {@code docker update} that gives it whole cores with a quota as large as its
 * cpuset, so the quota no longer stops it mid-period. Planned for all throttled containers at
 * once, so two of them never get the same core; cores pinned to guests (vCPUs, emulator, iothreads),
 * in another container's cpuset, or the host's housekeeping core (the one holding its first CPU,
 * with its hyper-thread siblings) are never handed out.
 *
 * <p>Throttled means: at least {@value #MIN_PERIODS} CFS periods in which it ran (10 s at the default
 * 100 ms period, so a start-up burst alone does not count), and its quota ran out in more than a
 * quarter of them, the threshold of the kubernetes-mixin CPUThrottlingHigh alert
 * ({@code cpuThrottlingPercent: 25}). The counters run since the container started.
 */
public final class CpuQuotaRelief {

	/** Share of CFS periods ending throttled above which a container is throttled: kubernetes-mixin's 25%. */
	public static final double THROTTLED_SHARE = 0.25;

	/** Periods a container must have run before its share means anything. */
	public static final long MIN_PERIODS = 100;

	/** The kernel's CFS period when the container sets none (and always with {@code --cpus}), in microseconds. */
	static final long DEFAULT_PERIOD_US = 100_000;

	/**
	 * What to change for one container.
	 *
	 * @param newCpuset the cpuset the fix gives it, or {@code null} when it keeps its own (or none can be given)
	 * @param cpus CPUs its quota allows after the fix
	 * @param update the {@code docker update} line
	 * @param rollback the {@code docker update} line back to its old cpuset and quota
	 * @param redefine its run line with the new limits, for wherever it is defined
	 * @param basis how the CPUs were chosen, or why no whole core could be
	 */
	public record Relief(String newCpuset, int cpus, String update, String rollback, String redefine, String basis) {
	}

	private final Map<ContainerFacts, Relief> reliefs;

	private CpuQuotaRelief(Map<ContainerFacts, Relief> reliefs) {
		this.reliefs = reliefs;
	}

	/** Throttled periods as a share of the periods it ran, or {@code null} when unknown or too few. */
	public static Double throttledShare(ContainerFacts c) {
		Long periods = c.cpuPeriods();
		Long throttled = c.cpuThrottledPeriods();
		if (periods == null || throttled == null || periods < MIN_PERIODS) {
			return null;
		}
		return throttled / (double) periods;
	}

	/** A running, named container with a CPU limit whose quota ran out in more than a quarter of its periods. */
	public static boolean throttled(ContainerFacts c) {
		Double share = throttledShare(c);
		return share != null && share > THROTTLED_SHARE && c.name() != null && "running".equals(c.state())
				&& c.cpuLimit() != null && CpuSets.parse(c.cpusetCpus()) != null;
	}

	/**
	 * @param hosts the host facts (the first is used; none when only Docker facts are known)
	 * @param containers every container; the throttled ones are planned, the others' cpusets are left alone
	 * @param guests every guest; their pins are left alone
	 */
	public static CpuQuotaRelief plan(Collection<?> hosts, Collection<?> containers, Collection<?> guests) {
		HostFacts host = hosts.stream().filter(HostFacts.class::isInstance).map(HostFacts.class::cast).findFirst().orElse(null);
		List<ContainerFacts> all = containers.stream().filter(ContainerFacts.class::isInstance).map(ContainerFacts.class::cast)
			.toList();
		SortedSet<Integer> hostCpus = CpuSets.ofHost(host);
		SortedSet<Integer> taken = new TreeSet<>(guestCpus(guests));
		List<ContainerFacts> throttled = new ArrayList<>();
		for (ContainerFacts c : all) {
			if (throttled(c)) {
				throttled.add(c);
			}
			SortedSet<Integer> own = CpuSets.parse(c.cpusetCpus());
			if (own != null) {
				taken.addAll(own);
			}
		}
		throttled.sort(Comparator.comparing(ContainerFacts::name).thenComparing(c -> c.id() == null ? "" : c.id()));
		Map<ContainerFacts, Relief> reliefs = new LinkedHashMap<>();
		for (ContainerFacts c : throttled) {
			Relief relief = relieve(c, host, hostCpus, taken);
			if (relief != null) {
				reliefs.put(c, relief);
			}
		}
		return new CpuQuotaRelief(reliefs);
	}

	/** A throttled container for which a larger quota is possible (it is below the CPUs it may run on). */
	public boolean concerns(ContainerFacts c) {
		return reliefs.containsKey(c);
	}

	public Relief reliefFor(ContainerFacts c) {
		return reliefs.get(c);
	}

	private static Relief relieve(ContainerFacts c, HostFacts host, SortedSet<Integer> hostCpus, SortedSet<Integer> taken) {
		double limit = c.cpuLimit();
		SortedSet<Integer> own = CpuSets.parse(c.cpusetCpus());
		Integer capacity = !own.isEmpty() ? Integer.valueOf(own.size()) : hostCpus == null ? null : hostCpus.size();
		if (capacity != null && limit >= capacity) {
			// the quota already allows every CPU it may run on: the CPUs, not the quota, are what it lacks
			return null;
		}
		int want = (int) Math.floor(limit) + 1;
		String newCpuset = null;
		int cpus;
		String basis;
		if (!own.isEmpty()) {
			cpus = own.size();
			basis = "it keeps its cpuset " + CpuSets.format(own) + "; the quota now covers all " + cpus + " of its CPUs";
		}
		else {
			List<List<Integer>> cores = hostCpus == null ? null : grant(host, hostCpus, taken, want);
			if (cores != null) {
				SortedSet<Integer> granted = new TreeSet<>();
				cores.forEach(granted::addAll);
				taken.addAll(granted);
				newCpuset = CpuSets.format(granted);
				cpus = granted.size();
				String cpuWord = (cpus == 1 ? "CPU " : "CPUs ") + newCpuset;
				basis = wholeCores(host, hostCpus) ? (cores.size() == 1 ? "a whole core" : cores.size() + " whole cores") + " ("
						+ cpuWord + ") that no guest is pinned to and no other container's cpuset names, off the host's "
						+ "first core; the quota covers all of " + (cpus == 1 ? "it" : "them")
						: "CPU " + newCpuset + ", off the host's first CPU, no guest pinned to it and in no other container's "
								+ "cpuset (hyper-thread siblings unknown: add the siblings if it shares a core)";
			}
			else {
				cpus = capacity == null ? want : Math.min(want, capacity);
				basis = hostCpus == null ? "the host's CPUs are unknown, so no cpuset can be chosen: a larger quota only"
						: "no " + want + " CPU" + (want == 1 ? "" : "s") + " on whole cores are free of guests' pins, other "
								+ "containers' cpusets and the host's first core: a larger quota only, on shared CPUs";
			}
		}
		if (cpus <= limit) {
			return null;
		}
		QuotaForm form = QuotaForm.of(c);
		String name = c.name();
		String cpusetPart = newCpuset == null ? "" : " --cpuset-cpus " + newCpuset;
		String update = "docker update" + cpusetPart + " " + form.option(cpus) + " " + name;
		String back = newCpuset == null ? "" : " --cpuset-cpus " + CpuSets.format(hostCpus);
		String rollback = "docker update" + back + " " + form.old() + " " + name
				+ (newCpuset == null ? "" : "   # all " + hostCpus.size() + " CPUs: what no cpuset gave it (docker update "
						+ "cannot clear a cpuset; inspect then lists them instead of none)");
		String redefine = DockerRunEdits.withLimits(c, newCpuset, (double) cpus, null);
		return new Relief(newCpuset, cpus, update, rollback, redefine, basis);
	}

	/**
	 * {@code want} CPUs in whole cores from one NUMA node where possible, lowest core first, none of
	 * them taken, never the core holding the host's first CPU; {@code null} when they cannot be found.
	 */
	private static List<List<Integer>> grant(HostFacts host, SortedSet<Integer> hostCpus, SortedSet<Integer> taken, int want) {
		List<List<Integer>> cores = cores(host, hostCpus);
		int first = hostCpus.first();
		Map<Integer, List<List<Integer>>> byNode = new TreeMap<>();
		for (List<Integer> core : cores) {
			if (core.contains(first) || core.stream().anyMatch(taken::contains)) {
				continue;
			}
			byNode.computeIfAbsent(nodeOf(core, host), n -> new ArrayList<>()).add(core);
		}
		for (List<List<Integer>> free : byNode.values()) {
			List<List<Integer>> chosen = new ArrayList<>();
			int count = 0;
			for (List<Integer> core : free) {
				if (count >= want) {
					break;
				}
				chosen.add(core);
				count += core.size();
			}
			if (count >= want) {
				return chosen;
			}
		}
		return null;
	}

	/** The host's cores as CPU lists (hyper-thread siblings together), or each CPU alone when siblings are unknown. */
	private static List<List<Integer>> cores(HostFacts host, SortedSet<Integer> hostCpus) {
		if (wholeCores(host, hostCpus)) {
			return host.cpu().siblings().stream().map(s -> (List<Integer>) new ArrayList<>(new TreeSet<>(s)))
				.sorted(Comparator.comparing(s -> s.get(0))).toList();
		}
		return hostCpus.stream().map(List::of).toList();
	}

	/** The sibling lists are known and cover exactly the host's CPUs. */
	private static boolean wholeCores(HostFacts host, SortedSet<Integer> hostCpus) {
		if (host == null || host.cpu() == null || host.cpu().siblings() == null || host.cpu().siblings().isEmpty()) {
			return false;
		}
		SortedSet<Integer> covered = new TreeSet<>();
		for (List<Integer> core : host.cpu().siblings()) {
			if (core == null || core.isEmpty()) {
				return false;
			}
			covered.addAll(core);
		}
		return covered.equals(hostCpus);
	}

	/** The node holding the core, {@code -1} on a single-node host or when it is unknown (one group). */
	private static int nodeOf(List<Integer> core, HostFacts host) {
		if (host == null || host.numaNodes() == null || host.numaNodes().size() < 2) {
			return -1;
		}
		NumaNode node = CpuSets.homeNode(core, host.numaNodes());
		return node == null ? -1 : node.id();
	}

	/** Every CPU a guest is pinned to: vCPUs, emulator threads and iothreads. */
	private static SortedSet<Integer> guestCpus(Collection<?> guests) {
		SortedSet<Integer> cpus = new TreeSet<>(CpuSets.pinnedBy(guests));
		for (Object o : guests) {
			if (o instanceof GuestFacts g) {
				List<String> pins = new ArrayList<>();
				if (g.emulatorPin() != null) {
					pins.add(g.emulatorPin());
				}
				if (g.iothreadPins() != null) {
					pins.addAll(g.iothreadPins().values());
				}
				if (g.vcpuPins() != null) {
					pins.addAll(g.vcpuPins().values());
				}
				SortedSet<Integer> parsed = CpuSets.parse(pins);
				if (parsed != null) {
					cpus.addAll(parsed);
				}
			}
		}
		return cpus;
	}

	/**
	 * How the container's quota was set: {@code --cpus}, or {@code --cpu-quota} (with its period).
	 * {@code docker update} refuses to change one form on a container created with the other.
	 */
	private record QuotaForm(boolean quota, long periodUs, String oldValue) {

		static QuotaForm of(ContainerFacts c) {
			DockerRunLine line = null;
			try {
				line = c.runCommand() == null ? null : DockerRunLine.parse(c.runCommand());
			}
			catch (IllegalArgumentException e) {
				// an unreadable line: the --cpus form, which a container made with --cpu-quota refuses without changing
			}
			String quota = line == null ? null : last(line.values("--cpu-quota"));
			if (quota != null) {
				String period = last(line.values("--cpu-period"));
				return new QuotaForm(true, period == null ? DEFAULT_PERIOD_US : Long.parseLong(period), quota);
			}
			String cpus = line == null ? null : last(line.values("--cpus"));
			return new QuotaForm(false, DEFAULT_PERIOD_US,
					cpus != null ? cpus : BigDecimal.valueOf(c.cpuLimit()).stripTrailingZeros().toPlainString());
		}

		String option(int cpus) {
			return quota ? "--cpu-quota " + cpus * periodUs : "--cpus " + cpus;
		}

		String old() {
			return (quota ? "--cpu-quota " : "--cpus ") + oldValue;
		}

		private static String last(List<String> values) {
			for (int i = values.size() - 1; i >= 0; i--) {
				if (values.get(i) != null && values.get(i).matches("\\d+(\\.\\d+)?")) {
					return values.get(i);
				}
			}
			return null;
		}
	}

	/** Percent with no decimals, for evidence. */
	public static String percent(double share) {
		return String.format(Locale.ROOT, "%.0f%%", share * 100);
	}

	/**
	 * What a quota below one CPU costs a request, in the kernel's terms: it runs {@code limit x period}
	 * and then waits out the rest of the period.
	 */
	public static String stall(ContainerFacts c) {
		QuotaForm form = QuotaForm.of(c);
		double limit = c.cpuLimit();
		double periodMs = form.periodUs / 1000.0;
		if (limit >= 1) {
			return "Once its threads have spent " + Figures.number(limit * periodMs) + " ms of CPU in a " + Figures.number(periodMs)
					+ " ms period, all of them wait for the next one.";
		}
		return "At " + Figures.number(limit) + " CPU and a " + Figures.number(periodMs) + " ms period it runs "
				+ Figures.number(limit * periodMs) + " ms and then waits up to " + Figures.number((1 - limit) * periodMs)
				+ " ms, and so does a request that arrives meanwhile.";
	}
}
