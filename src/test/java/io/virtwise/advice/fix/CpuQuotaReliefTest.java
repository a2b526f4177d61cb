package io.virtwise.advice.fix;

import io.virtwise.facts.CpuSets;
import io.virtwise.advice.Figures;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.CpuFacts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.NumaNode;
import org.junit.jupiter.api.Test;

/**
 * The throttling planner as properties over generated hosts (1-2 NUMA nodes, 1-12 cores per node,
 * with or without hyper-threads), pinned guests and containers with and without cpusets and quotas:
 * whatever it plans never puts two things on one CPU as if each had it alone, and always prints the
 * way back to exactly what the container had.
 */
class CpuQuotaReliefTest {

	static final Pattern UPDATE = Pattern.compile(
			"docker update(?: --cpuset-cpus (\\S+))? --(cpus|cpu-quota) (\\S+) (\\S+)(?:   # .*)?");

	record Case(HostFacts host, List<ContainerFacts> containers, List<GuestFacts> guests) {
	}

	@Test
	void plansNeverShareACpuAndAlwaysRollBackExactly() {
		Random random = new Random(17);
		int planned = 0;
		int granted = 0;
		for (int i = 0; i < 2000; i++) {
			Case c = generate(random);
			CpuQuotaRelief plan = CpuQuotaRelief.plan(List.of(c.host()), c.containers(), c.guests());
			Set<Integer> handedOut = new HashSet<>();
			for (ContainerFacts container : c.containers()) {
				if (!plan.concerns(container)) {
					assertThat(CpuQuotaRelief.throttled(container) && below(container, c.host())).as("case %d: %s left out", i,
							container.name()).isFalse();
					continue;
				}
				planned++;
				CpuQuotaRelief.Relief relief = plan.reliefFor(container);
				assertThat(CpuQuotaRelief.throttled(container)).isTrue();
				assertThat((double) relief.cpus()).as("case %d: more than it had", i).isGreaterThan(container.cpuLimit());
				assertThat(relief.cpus()).isLessThanOrEqualTo(c.host().cpu().threads());
				checkLines(container, relief, c.host());
				if (relief.newCpuset() == null) {
					continue;
				}
				granted++;
				SortedSet<Integer> cpus = CpuSets.parse(List.of(relief.newCpuset()));
				assertThat(relief.cpus()).isEqualTo(cpus.size());
				assertThat(container.cpusetCpus()).as("only a container without a cpuset gets one").isEmpty();
				assertThat(common(cpus, handedOut)).as("case %d: %s granted twice", i, cpus).isEmpty();
				handedOut.addAll(cpus);
				assertThat(common(cpus, guestCpus(c.guests()))).as("case %d: a guest's pin", i).isEmpty();
				assertThat(common(cpus, cpusets(c.containers()))).as("case %d: another container's cpuset", i).isEmpty();
				List<Integer> housekeeping = c.host().cpu().siblings().get(0);
				assertThat(common(cpus, housekeeping)).as("case %d: the host's first core", i).isEmpty();
				for (List<Integer> core : c.host().cpu().siblings()) {
					boolean some = core.stream().anyMatch(cpus::contains);
					assertThat(some && !cpus.containsAll(core)).as("case %d: part of core %s", i, core).isFalse();
				}
				assertThat(CpuSets.nodesOf(cpus, c.host().numaNodes())).as("case %d: one node", i).hasSize(1);
			}
		}
		// the generator reaches both kinds of plan often enough for the properties to mean something
		assertThat(planned).isGreaterThan(500);
		assertThat(granted).isGreaterThan(200);
	}

	/** The update raises only what the rule is about; the rollback puts back exactly the old cpuset and quota. */
	private static void checkLines(ContainerFacts c, CpuQuotaRelief.Relief relief, HostFacts host) {
		Matcher update = UPDATE.matcher(relief.update());
		Matcher back = UPDATE.matcher(relief.rollback());
		assertThat(update.matches()).as(relief.update()).isTrue();
		assertThat(back.matches()).as(relief.rollback()).isTrue();
		assertThat(update.group(4)).isEqualTo(c.name());
		assertThat(back.group(4)).isEqualTo(c.name());
		boolean quotaForm = c.runCommand().contains("--cpu-quota");
		assertThat(update.group(2)).isEqualTo(quotaForm ? "cpu-quota" : "cpus");
		assertThat(back.group(2)).isEqualTo(update.group(2));
		assertThat(back.group(3)).isEqualTo(quotaForm ? value(c.runCommand(), "--cpu-quota") : value(c.runCommand(), "--cpus"));
		assertThat(update.group(1)).isEqualTo(relief.newCpuset());
		// docker update cannot clear a cpuset: the way back to "none" is every CPU of the host
		assertThat(back.group(1)).isEqualTo(relief.newCpuset() == null ? null : CpuSets.format(CpuSets.ofHost(host)));
		if (quotaForm) {
			long period = Long.parseLong(value(c.runCommand(), "--cpu-period"));
			assertThat(Long.parseLong(update.group(3))).isEqualTo(relief.cpus() * period);
		}
		else {
			assertThat(update.group(3)).isEqualTo(Integer.toString(relief.cpus()));
		}
	}

	private static String value(String line, String flag) {
		Matcher m = Pattern.compile(Pattern.quote(flag) + " (\\S+)").matcher(line);
		return m.find() ? m.group(1) : null;
	}

	private static boolean below(ContainerFacts c, HostFacts host) {
		int capacity = c.cpusetCpus().isEmpty() ? host.cpu().threads() : CpuSets.parse(c.cpusetCpus()).size();
		return c.cpuLimit() < capacity;
	}

	private static Set<Integer> common(Set<Integer> a, java.util.Collection<Integer> b) {
		Set<Integer> both = new TreeSet<>(a);
		both.retainAll(b);
		return both;
	}

	private static Set<Integer> guestCpus(List<GuestFacts> guests) {
		Set<Integer> cpus = new HashSet<>();
		for (GuestFacts g : guests) {
			cpus.addAll(g.pinnedCpus());
			cpus.addAll(CpuSets.parse(List.of(g.emulatorPin())));
			g.iothreadPins().values().forEach(p -> cpus.addAll(CpuSets.parse(List.of(p))));
		}
		return cpus;
	}

	private static Set<Integer> cpusets(List<ContainerFacts> containers) {
		Set<Integer> cpus = new HashSet<>();
		containers.forEach(c -> cpus.addAll(CpuSets.parse(c.cpusetCpus())));
		return cpus;
	}

	// --- the generator ---

	static Case generate(Random random) {
		int nodes = 1 + random.nextInt(2);
		int coresPerNode = 1 + random.nextInt(12);
		int threads = 1 + random.nextInt(2);
		int cores = nodes * coresPerNode;
		List<List<Integer>> siblings = new ArrayList<>();
		List<List<Integer>> nodeCpus = new ArrayList<>();
		for (int n = 0; n < nodes; n++) {
			nodeCpus.add(new ArrayList<>());
		}
		for (int core = 0; core < cores; core++) {
			List<Integer> s = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				s.add(core + t * cores);
			}
			siblings.add(s);
			nodeCpus.get(core / coresPerNode).addAll(s);
		}
		List<NumaNode> numa = new ArrayList<>();
		for (int n = 0; n < nodes; n++) {
			numa.add(new NumaNode(n, new ArrayList<>(new TreeSet<>(nodeCpus.get(n))), 1L << 24, 1L << 23));
		}
		HostFacts host = new HostFacts("h", new CpuFacts(null, null, nodes, cores, cores * threads, threads, siblings, null),
				numa, null, null, null, null, null, null, null, null, null, null);
		int cpus = cores * threads;

		List<GuestFacts> guests = new ArrayList<>();
		for (int g = random.nextInt(3); g > 0; g--) {
			List<Integer> pins = randomCpus(random, cpus, random.nextInt(3));
			Map<Integer, String> iothreads = new TreeMap<>();
			if (random.nextBoolean()) {
				iothreads.put(1, Integer.toString(random.nextInt(cpus)));
			}
			guests.add(new GuestFacts("g" + g, "u" + g, "running", "kvm", Math.max(1, pins.size()), 1L << 20, false, pins,
					List.of(0), null, null, null, null, null, null, null, Map.of(), random.nextBoolean() ? Integer.toString(
							random.nextInt(cpus)) : "", iothreads, null, null, null, null, null, null, null, null));
		}

		List<ContainerFacts> containers = new ArrayList<>();
		for (int k = 1 + random.nextInt(6); k > 0; k--) {
			String name = "c" + k;
			List<String> cpuset = random.nextInt(4) == 0 ? List.of(CpuSets.format(randomCpus(random, cpus, 1 + random.nextInt(3))))
					: List.of();
			double limit = (1 + random.nextInt(Math.max(1, cpus * 4))) / 4.0;
			String limits;
			if (random.nextBoolean()) {
				long period = random.nextBoolean() ? 100_000 : 50_000;
				limits = "--cpu-quota " + Math.round(limit * period) + " --cpu-period " + period;
			}
			else {
				limits = "--cpus " + Figures.number(limit);
			}
			if (!cpuset.isEmpty()) {
				limits = "--cpuset-cpus " + cpuset.get(0) + " " + limits;
			}
			long periods = random.nextInt(3) == 0 ? random.nextInt(150) : 100 + random.nextInt(5000);
			long throttled = (long) (periods * random.nextDouble());
			containers.add(new ContainerFacts("id" + k, name, "img", random.nextInt(6) == 0 ? "exited" : "running", "bridge",
					cpuset, limit, null, List.of(), List.of(), 0L, false, "default", "no", null, List.of(), Map.of(),
					"docker run -d --name " + name + " " + limits + " img", false, "sha256:0", periods, throttled, "json-file",
					"10m", null, null));
		}
		return new Case(host, containers, guests);
	}

	private static List<Integer> randomCpus(Random random, int cpus, int count) {
		SortedSet<Integer> set = new TreeSet<>();
		while (set.size() < Math.min(count, cpus)) {
			set.add(random.nextInt(cpus));
		}
		return new ArrayList<>(set);
	}
}
