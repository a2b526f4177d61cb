package io.virtwise.probe;

import java.util.List;

import io.virtwise.facts.ProbeResult;

/**
 * The results of the last probe run of this session, kept so {@code advise} can include them
 * and {@code facts export} can store them.
 */
public final class ProbeResults {

	private volatile ProbeReport latest;

	public void record(ProbeReport report) {
		latest = report;
	}

	/** The measurements of the last run; empty before any run. */
	public List<ProbeResult> latest() {
		ProbeReport report = latest;
		return report == null ? List.of() : report.results();
	}

	/** The whole last report, with what was skipped; null before any run. */
	public ProbeReport latestReport() {
		return latest;
	}
}
