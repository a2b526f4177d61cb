package io.virtwise.kvm.inspect;

import io.virtwise.probe.kvm.ProbeGuest;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.virtwise.facts.GuestFacts;
import org.junit.jupiter.api.Test;

/** Which domains of a listing become guests, with stand-ins for libvirt's domains. */
class KvmInspectorTest {

	/** A listed domain that reads as a running guest, or is gone by the time it is read. */
	record Stub(String name, boolean gone) implements KvmInspector.ListedDomain {

		@Override
		public GuestFacts read() throws KvmInspector.Gone {
			if (gone) {
				throw new KvmInspector.Gone(name, null);
			}
			if (name.startsWith(ProbeGuest.PREFIX)) {
				throw new AssertionError("a probe domain must not even be read: " + name);
			}
			return new GuestFacts(name, null, "running", "kvm", 1, 1024L, false, List.of(), null);
		}
	}

	@Test
	void aDomainGoneBetweenListingAndReadIsSkippedAndTheOthersStay() throws Exception {
		List<GuestFacts> guests = KvmInspector.guests(List.of(new Stub("web", false), new Stub("torn-down", true),
				new Stub("db", false)));
		assertThat(guests).extracting(GuestFacts::name).containsExactly("db", "web");
	}

	@Test
	void virtwisesOwnProbeDomainsAreNoOnesGuests() throws Exception {
		List<GuestFacts> guests = KvmInspector.guests(List.of(new Stub("vwprobe-k3x9-4711", false), new Stub("web", false),
				new Stub("vwprobe-k3x9-4712", true)));
		assertThat(guests).extracting(GuestFacts::name).containsExactly("web");
	}

	@Test
	void everyDomainGoneIsNoGuestsNotAFailure() throws Exception {
		assertThat(KvmInspector.guests(List.of(new Stub("a", true), new Stub("b", true)))).isEmpty();
	}
}
