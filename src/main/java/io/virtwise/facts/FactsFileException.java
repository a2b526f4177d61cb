package io.virtwise.facts;

/** A facts file that cannot be used: not JSON, not facts, or from a newer schema. */
public class FactsFileException extends Exception {

	public FactsFileException(String message) {
		super(message);
	}

	public FactsFileException(String message, Throwable cause) {
		super(message, cause);
	}
}
