package io.virtwise.docker.inspect;

/** The engine cannot be reached; the message says where we looked and how to fix it. */
public class DockerUnavailableException extends RuntimeException {

	public DockerUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}
}
