package io.virtwise.advice.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.MemoryFacts;
import org.junit.jupiter.api.Test;

class HugePageSizingTest {

	static HostFacts hostWithRamKb(Long totalKb) {
		return new HostFacts("h", null, null, null, new MemoryFacts(totalKb, null, null), null, null, null, null, null,
				null, null, null);
	}

	static GuestFacts guest(Long memoryKb) {
		return new GuestFacts("g", null, null, null, null, memoryKb, null, null, null);
	}

	@Test
	void reservesTheGuestsMemoryRoundedUpToWholePages() {
		List<GuestFacts> guests = List.of(guest(4L * 1024 * 1024), guest(1025L), guest(null));

		assertThat(HugePageSizing.guestMemoryKb(guests)).isEqualTo(4L * 1024 * 1024 + 1025);
		assertThat(HugePageSizing.pages(hostWithRamKb(64L * 1024 * 1024), guests, 2048)).isEqualTo(2048 + 1);
	}

	@Test
	void startsAtTwoGibWhenNoGuestMemoryIsKnown() {
		assertThat(HugePageSizing.pages(hostWithRamKb(64L * 1024 * 1024), List.of(), 2048)).isEqualTo(1024);
		assertThat(HugePageSizing.pages(hostWithRamKb(64L * 1024 * 1024), List.of(guest(null)), 1048576)).isEqualTo(2);
	}

	@Test
	void neverReservesMoreThanThreeQuartersOfRam() {
		List<GuestFacts> overcommitted = List.of(guest(32L * 1024 * 1024));

		assertThat(HugePageSizing.pages(hostWithRamKb(16L * 1024 * 1024), overcommitted, 2048)).isEqualTo(6144);
	}

	@Test
	void noCapWhenRamIsUnknown() {
		List<GuestFacts> guests = List.of(guest(32L * 1024 * 1024));

		assertThat(HugePageSizing.pages(hostWithRamKb(null), guests, 2048)).isEqualTo(16384);
		assertThat(HugePageSizing.pages(null, guests, 2048)).isEqualTo(16384);
	}
}
