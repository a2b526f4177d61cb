package io.virtwise.probe.core;

import java.time.Duration;
import java.util.Locale;

/**
 * What {@code probe docker} was asked: for which container (null: the lab paths), which probes,
 * how many repetitions and within how long; {@code keep}: leave what a completed run created in
 * place, so its recorded command lines can be run again by hand on the same containers and files.
 */
public record ProbeOptions(String container, boolean quick, boolean network, boolean storage, int reps,
		Duration deadline, String image, boolean keep) {

	public static final String IMAGE = "virtwise/probe:latest";
	public static final Duration FULL_DEADLINE = Duration.ofMinutes(2);
	public static final Duration QUICK_DEADLINE = Duration.ofSeconds(30);

	/**
	 * @param only {@code network}, {@code storage} or null for both
	 * @param reps repetitions, or null for the default (5, or 3 with --quick)
	 */
	public static ProbeOptions of(String container, boolean quick, String only, Integer reps) {
		boolean network = true;
		boolean storage = true;
		if (only != null && !only.isBlank()) {
			switch (only.strip().toLowerCase(Locale.ROOT)) {
				case "network" -> storage = false;
				case "storage" -> network = false;
				default -> throw new IllegalArgumentException("--only takes network or storage, not '" + only + "'");
			}
		}
		int n = reps == null ? (quick ? 3 : 5) : reps;
		if (n < 1 || n > 50) {
			throw new IllegalArgumentException("--reps must be between 1 and 50, not " + n);
		}
		String name = container == null || container.isBlank() ? null : container.strip();
		return new ProbeOptions(name, quick, network, storage, n, quick ? QUICK_DEADLINE : FULL_DEADLINE, IMAGE, false);
	}

	public ProbeOptions withDeadline(Duration newDeadline) {
		return new ProbeOptions(container, quick, network, storage, reps, newDeadline, image, keep);
	}

	public ProbeOptions withKeep(boolean keepAfterwards) {
		return new ProbeOptions(container, quick, network, storage, reps, deadline, image, keepAfterwards);
	}
}
