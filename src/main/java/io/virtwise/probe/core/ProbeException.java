package io.virtwise.probe.core;

/** A probe run that cannot start; {@link #reason()} says which kind, for the exit code. */
public class ProbeException extends RuntimeException {

	public enum Reason {
		/** The engine, or something the probe needs from it, is not there. */
		UNAVAILABLE,
		/** The user named something that does not exist or cannot be probed. */
		BAD_INPUT
	}

	private final Reason reason;

	public ProbeException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public Reason reason() {
		return reason;
	}
}
