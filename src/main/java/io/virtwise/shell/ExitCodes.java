package io.virtwise.shell;

/**
 * The small fixed set of exit codes of one-shot use, documented in the README. Scripts and CI
 * pipelines rely on them, so they never change meaning.
 */
public final class ExitCodes {

	/** The command did what was asked. */
	public static final int OK = 0;

	/** {@code advise --fail-on SEVERITY}: a recommendation at or above that severity was found. */
	public static final int FINDINGS = 1;

	/** Bad command line: unknown command or option, missing or malformed value. */
	public static final int USAGE = 2;

	/** Bad input: a file that is missing, unreadable or malformed, a rule base that does not compile. */
	public static final int BAD_INPUT = 3;

	/** Something virtwise needs is not there: a daemon that is down, a socket not permitted. */
	public static final int UNAVAILABLE = 4;

	/** Interrupted by Ctrl-C; whatever the command created has been removed. */
	public static final int INTERRUPTED = 130;

	/** A bug in virtwise: please report it with the output of {@code --debug}. */
	public static final int INTERNAL = 70;

	private ExitCodes() {
	}
}
