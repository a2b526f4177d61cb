package io.virtwise.gather;

/**
 * Ctrl-C while the inspectors were still answering: no facts, so nothing partial is advised on.
 * Unchecked so that every caller need not declare it; the interrupt flag stays set.
 */
public class GatheringInterruptedException extends RuntimeException {

	public GatheringInterruptedException(InterruptedException cause) {
		super("interrupted while gathering facts", cause);
	}
}
