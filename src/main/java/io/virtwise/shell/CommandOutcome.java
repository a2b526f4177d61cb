package io.virtwise.shell;

/**
 * The exit status a command asks for without failing, e.g. {@code advise --fail-on high}
 * finding something. Reset by the runner before each command.
 */
public final class CommandOutcome {

	private int exitCode = ExitCodes.OK;

	public void reset() {
		exitCode = ExitCodes.OK;
	}

	public void requestExitCode(int code) {
		exitCode = Math.max(exitCode, code);
	}

	public int exitCode() {
		return exitCode;
	}
}
