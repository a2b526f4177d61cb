package io.virtwise.probe.core;

/** A measuring tool said something other than a measurement: an error, or output we cannot read. */
public class ProbeOutputException extends RuntimeException {

	public ProbeOutputException(String message) {
		super(message);
	}

	public ProbeOutputException(String message, Throwable cause) {
		super(message, cause);
	}
}
