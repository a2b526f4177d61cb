package io.virtwise.shell;

/** A failure the user can act on: its message is the one line shown, its code the exit status. */
public class VirtwiseException extends RuntimeException {

	private final int exitCode;

	public VirtwiseException(int exitCode, String message) {
		super(message);
		this.exitCode = exitCode;
	}

	public VirtwiseException(int exitCode, String message, Throwable cause) {
		super(message, cause);
		this.exitCode = exitCode;
	}

	public static VirtwiseException usage(String message) {
		return new VirtwiseException(ExitCodes.USAGE, message);
	}

	public static VirtwiseException badInput(String message, Throwable cause) {
		return new VirtwiseException(ExitCodes.BAD_INPUT, message, cause);
	}

	public int exitCode() {
		return exitCode;
	}
}
