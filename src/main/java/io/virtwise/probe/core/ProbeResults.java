package io.virtwise.probe.core;

import java.util.ArrayList;
import java.util.List;

import io.virtwise.facts.ProbeResult;

/**
 * The results of the last probe run of this session, kept so {@code advise} can include them
 * and {@code facts export} can store them.
 */
public final class ProbeResults {

	private volatile ProbeReport latest;
	// passive readings (kvm stats) kept beside the last probe run, the newest per probe and subject
	private final List<ProbeResult> passive = new ArrayList<>();

	public void record(ProbeReport report) {
		latest = report;
	}

	/** The measurements of the last run and the latest passive readings; empty before any. */
	public List<ProbeResult> latest() {
		ProbeReport report = latest;
		List<ProbeResult> out = new ArrayList<>(report == null ? List.of() : report.results());
		synchronized (passive) {
			out.addAll(passive);
		}
		return List.copyOf(out);
	}

	/** Passive readings of one subject: they replace that subject's earlier ones from the same probe. */
	public void recordPassive(List<ProbeResult> results) {
		synchronized (passive) {
			for (ProbeResult r : results) {
				passive.removeIf(p -> p.probe().equals(r.probe()) && java.util.Objects.equals(p.subject(), r.subject()));
			}
			passive.addAll(results);
		}
	}

	/** The whole last report, with what was skipped; null before any run. */
	public ProbeReport latestReport() {
		return latest;
	}
}
