package io.virtwise.advice.fix;

import io.virtwise.facts.CpuSets;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;

import io.virtwise.facts.GuestFacts;
import org.junit.jupiter.api.Test;

/**
 * {@link PinnedGuests#collidingWith} answers per distinct pinning instead of per guest (a loop over
 * every pinned guest for every container made 10,000 containers and 2,000 guests slow): for every
 * input it must name and count exactly what the loop over all guests does.
 */
class PinnedGuestsCollisionsTest {

	@Test
	void namesAndCountsWhatALoopOverEveryPinnedGuestWould() {
		Random random = new Random(18_2026);
		for (int run = 0; run < 2_000; run++) {
			long seed = random.nextLong();
			Random r = new Random(seed);
			int cpus = 1 + r.nextInt(16);
			List<GuestFacts> guests = new ArrayList<>();
			int count = r.nextInt(30);
			for (int i = 0; i < count; i++) {
				// few distinct pinnings, as on real hosts, and sometimes a guest pinned to nothing known
				List<Integer> pins = new ArrayList<>(cpuSet(r, cpus, 1 + r.nextInt(3)));
				guests.add(new GuestFacts("vm" + i, null, "running", "kvm", 1, 1024L, null, pins, List.of(0)));
			}
			PinnedGuests pinned = PinnedGuests.of(null, guests, guests, 1);
			for (int c = 0; c < 5; c++) {
				SortedSet<Integer> mine = r.nextInt(4) == 0 ? new TreeSet<>() : cpuSet(r, cpus, 1 + r.nextInt(cpus));

				List<GuestFacts> expected = new ArrayList<>();
				for (GuestFacts g : guests) {
					if (mine.isEmpty() || CpuSets.overlaps(mine, g.pinnedCpus())) {
						expected.add(g);
					}
				}
				PinnedGuests.Collisions got = pinned.collidingWith(mine);
				assertThat(got.count()).as("seed %d, cpus %s", seed, mine).isEqualTo(expected.size());
				assertThat(got.named()).as("seed %d, cpus %s", seed, mine)
					.containsExactlyElementsOf(expected.subList(0, Math.min(PinnedGuests.NAMED, expected.size())));
			}
		}
	}

	private static SortedSet<Integer> cpuSet(Random r, int cpus, int size) {
		SortedSet<Integer> set = new TreeSet<>();
		while (set.size() < Math.min(size, cpus)) {
			set.add(r.nextInt(cpus));
		}
		return set;
	}
}
