package io.virtwise.probe.core;

/** What one {@code docker exec} printed and how it ended. */
public record ExecResult(long exitCode, String stdout, String stderr, double seconds) {

	public boolean ok() {
		return exitCode == 0;
	}

	/** The first line of stderr, else of stdout: what to tell a user when the command failed. */
	public String firstErrorLine() {
		String text = stderr.isBlank() ? stdout : stderr;
		return text.strip().lines().filter(l -> !l.isBlank()).findFirst().orElse("exit code " + exitCode);
	}
}
