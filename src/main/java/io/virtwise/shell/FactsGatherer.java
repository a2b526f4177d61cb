package io.virtwise.shell;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.virtwise.facts.Facts;
import io.virtwise.facts.HostFacts;
import io.virtwise.host.HostInspector;

/**
 * Gathers the facts of this machine from every inspector that can reach something, and keeps
 * the last result so {@code facts export} writes what {@code advise} just used.
 */
public final class FactsGatherer {

	private final HostInspector hostInspector;
	private volatile Facts last;
	// While a session replays, commands see the recorded facts instead of this machine.
	private volatile Facts replaying;

	public FactsGatherer(HostInspector hostInspector) {
		this.hostInspector = hostInspector;
	}

	public HostFacts host() {
		Facts recorded = replaying;
		return recorded != null ? recorded.host() : hostInspector.inspect();
	}

	/** Runs {@code work} with the recorded facts standing in for the live machine. */
	public <T> T withRecordedFacts(Facts recorded, java.util.function.Supplier<T> work) {
		replaying = recorded;
		try {
			return work.get();
		}
		finally {
			replaying = null;
		}
	}

	public Facts gather() {
		Facts recorded = replaying;
		if (recorded != null) {
			return recorded;
		}
		Facts facts = Facts.ofHost(host(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "live");
		last = facts;
		return facts;
	}

	public Facts lastOrGather() {
		Facts facts = last;
		return facts != null ? facts : gather();
	}
}
