package io.virtwise.advice.fix;

import java.util.Collection;

import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.HostFacts;

/**
 * How many huge pages to reserve: enough for the memory of the defined guests, a 2 GiB starting
 * point when no guest memory is known, and never more than three quarters of RAM, because
 * reserved pages are lost to the host and a reservation past RAM simply comes up short.
 */
public final class HugePageSizing {

	static final long DEFAULT_KB = 2L * 1024 * 1024;

	private HugePageSizing() {
	}

	/** Memory of all guests whose size is known, in kB; 0 when none is. */
	public static long guestMemoryKb(Collection<GuestFacts> guests) {
		long kb = 0;
		if (guests != null) {
			for (GuestFacts guest : guests) {
				if (guest.memoryKb() != null) {
					kb += guest.memoryKb();
				}
			}
		}
		return kb;
	}

	/** Pages of {@code pageSizeKb} to reserve for the guests on this host. */
	public static long pages(HostFacts host, Collection<GuestFacts> guests, long pageSizeKb) {
		long wantedKb = guestMemoryKb(guests);
		if (wantedKb == 0) {
			wantedKb = DEFAULT_KB;
		}
		long pages = (wantedKb + pageSizeKb - 1) / pageSizeKb;
		Long totalKb = host == null || host.memory() == null ? null : host.memory().totalKb();
		if (totalKb != null) {
			pages = Math.min(pages, totalKb / 4 * 3 / pageSizeKb);
		}
		return pages;
	}
}
