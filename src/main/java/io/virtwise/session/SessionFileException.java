package io.virtwise.session;

/** A session file that cannot be used; the message names the file and the problem. */
public class SessionFileException extends Exception {

	public SessionFileException(String message) {
		super(message);
	}

	public SessionFileException(String message, Throwable cause) {
		super(message, cause);
	}
}
