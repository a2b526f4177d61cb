package io.virtwise.probe.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.virtwise.facts.ProbeResult;

/** What the probes of one run found and did not: results, and skips gathered per measurement. */
public final class Findings {

	private final List<ProbeResult> results = new ArrayList<>();
	private final List<Skipped> skipped = new ArrayList<>();
	private final Map<List<String>, Integer> deadlineMisses = new LinkedHashMap<>();
	private final List<String> notes = new ArrayList<>();

	public synchronized void add(ProbeResult result) {
		results.add(result);
	}

	public synchronized void skip(Skipped skip) {
		skipped.add(skip);
	}

	public synchronized void note(String note) {
		if (!notes.contains(note)) {
			notes.add(note);
		}
	}

	/** One run of a measurement did not fit before the deadline; counted, reported once. */
	public synchronized void missedDeadline(String probe, String path, String placement, String what) {
		deadlineMisses.merge(java.util.Arrays.asList(probe, path, placement, what), 1, Integer::sum);
	}

	public synchronized List<ProbeResult> results() {
		return List.copyOf(results);
	}

	public synchronized List<String> notes() {
		return List.copyOf(notes);
	}

	public synchronized List<Skipped> skipped() {
		List<Skipped> all = new ArrayList<>(skipped);
		deadlineMisses.forEach((key, count) -> all.add(new Skipped(key.get(0), key.get(1), key.get(2), key.get(3),
				"deadline: " + count + (count == 1 ? " run" : " runs") + " not made in time")));
		return all;
	}

	synchronized ProbeResult result(String probe, String path, String metric, String placement) {
		return results.stream()
			.filter(r -> r.probe().equals(probe) && r.path().equals(path) && r.metric().equals(metric)
					&& Objects.equals(r.placement(), placement))
			.findFirst().orElse(null);
	}
}
