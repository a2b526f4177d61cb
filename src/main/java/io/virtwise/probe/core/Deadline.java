package io.virtwise.probe.core;

import java.time.Duration;

/** The moment a probe run must be done by, with a margin kept for removing what it created. */
public final class Deadline {

	private final long endNanos;
	private final long reserveNanos;
	private final double totalSeconds;

	public Deadline(Duration total, Duration cleanupReserve) {
		long now = System.nanoTime();
		this.endNanos = now + total.toNanos();
		this.reserveNanos = cleanupReserve.toNanos();
		this.totalSeconds = total.toMillis() / 1000.0;
	}

	/** Seconds left for measuring (the cleanup reserve excluded). */
	public double remainingSeconds() {
		return (endNanos - reserveNanos - System.nanoTime()) / 1e9;
	}

	/** Whether a step expected to take this long still fits. */
	public boolean allows(double estimateSeconds) {
		return remainingSeconds() >= estimateSeconds;
	}

	public double totalSeconds() {
		return totalSeconds;
	}
}
