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

	public FactsGatherer(HostInspector hostInspector) {
		this.hostInspector = hostInspector;
	}

	public HostFacts host() {
		return hostInspector.inspect();
	}

	public Facts gather() {
		Facts facts = Facts.ofHost(host(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "live");
		last = facts;
		return facts;
	}

	public Facts lastOrGather() {
		Facts facts = last;
		return facts != null ? facts : gather();
	}
}
