package io.virtwise.advice.fix;

import static io.virtwise.advice.fix.ContainerLimitsTest.guest;
import static io.virtwise.advice.fix.ContainerLimitsTest.host;
import static io.virtwise.advice.fix.ContainerLimitsTest.range;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;

import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.CpuSets;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.NumaNode;
import org.junit.jupiter.api.Test;

/**
 * {@link PinnedGuests#fixFor} works a fix out once per cpuset and limits-set pair and hands the same
 * one to every such container: for every input it must say what working it out for that container
 * alone says, whatever came before it.
 */
class PinnedGuestsFixTest {

	private static final List<List<String>> CPUSETS = List.of(List.of(), List.of("0-3"), List.of("14-17"), List.of("2,9"),
			List.of("8-15"), List.of("0-3", "12"), List.of("1-4,^2"), List.of("x"), List.of("0", ""), List.of(" 5 "));

	@Test
	void everyContainerGetsWhatItsOwnWorkingOutGives() {
		Random random = new Random(18_0101);
		for (int run = 0; run < 500; run++) {
			long seed = random.nextLong();
			Random r = new Random(seed);
			HostFacts host = r.nextBoolean() ? host(List.of(new NumaNode(0, range(0, 16), null, null)), 16, 64L << 20)
					: host(List.of(new NumaNode(0, range(0, 12), null, null), new NumaNode(1, range(12, 24), null, null)), 24,
							r.nextBoolean() ? null : 96L << 20);
			List<GuestFacts> guests = new ArrayList<>();
			for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
				int first = r.nextInt(20);
				guests.add(guest("vm" + i, (long) (1 + r.nextInt(8)) << 20, range(first, first + 1 + r.nextInt(4))));
			}
			int running = 1 + r.nextInt(50);
			PinnedGuests pinned = PinnedGuests.of(host, guests, guests, running);
			for (int c = 0; c < 12; c++) {
				List<String> cpuset = new ArrayList<>(CPUSETS.get(r.nextInt(CPUSETS.size()))); // equal, never the same list
				boolean hasCpuLimit = r.nextBoolean();
				boolean hasMemoryLimit = r.nextBoolean();
				ContainerFacts container = new ContainerFacts("id" + c, "svc" + c, "img", "running", "bridge", cpuset,
						hasCpuLimit ? 2.0 : null, hasMemoryLimit ? 1L << 30 : null);

				PinnedGuests.ContainerFix fix = pinned.fixFor(cpuset, hasCpuLimit, hasMemoryLimit);

				SortedSet<Integer> mine = CpuSets.parse(cpuset);
				ContainerLimits limits = ContainerLimits.share(host, guests, running, cpuset);
				String as = "seed " + seed + ", cpuset " + cpuset + ", limits " + hasCpuLimit + "/" + hasMemoryLimit;
				if (mine == null || limits == null) {
					assertThat(fix).as(as).isNull();
					continue;
				}
				Double cpus = hasCpuLimit ? null : limits.cpus();
				Long memory = hasMemoryLimit ? null : limits.memoryBytes();
				assertThat(fix.cpus()).as(as).isEqualTo(mine);
				assertThat(fix.limits()).as(as).isEqualTo(limits);
				assertThat(fix.cpuLimit()).as(as).isEqualTo(cpus);
				assertThat(fix.memoryBytes()).as(as).isEqualTo(memory);
				assertThat("docker update " + fix.updateOptions() + " svc" + c).as(as)
					.isEqualTo(DockerRunEdits.update(container, limits.cpuset(), cpus, memory));
				assertThat(fix.runOptions()).as(as).isEqualTo(ContainerLimits.runOptions(limits.cpuset(), cpus, memory));
				assertThat(fix.basis()).as(as).isEqualTo(limits.basis());
				assertThat(fix.rollbackCpuset()).as(as)
					.isEqualTo(mine.isEmpty() ? CpuSets.format(CpuSets.ofHost(host)) : String.join(",", cpuset));
				assertThat(fix.colliding()).as(as).isEqualTo(PinnedGuests.of(host, guests, guests, running).collidingWith(mine));
				assertThat(fix.colliding().namedPinnedCpus()).as(as)
					.isEqualTo(fix.colliding().named().stream().map(g -> CpuSets.format(g.pinnedCpus())).toList());
				assertThat(pinned.cpusOf(new ArrayList<>(cpuset))).as(as).isEqualTo(mine);
			}
		}
	}
}
