package io.virtwise.shell;

import java.util.List;

import io.virtwise.facts.Facts;

/**
 * What a command leaves behind besides its output: the exit status it asks for without failing
 * (e.g. {@code advise --fail-on high} finding something), and the facts and recommendations it
 * used, which the session journal records. Reset by the runner before each command.
 */
public final class CommandOutcome {

	private int exitCode = ExitCodes.OK;
	private Facts facts;
	private List<String> recommendations;

	public void reset() {
		exitCode = ExitCodes.OK;
		facts = null;
		recommendations = null;
	}

	/** The facts a command used or gathered, so the session journal can replay it offline. */
	public void attachFacts(Facts used) {
		this.facts = used;
	}

	/** The recommendation ids (and severities) a command produced, for session listings and diffs. */
	public void attachRecommendations(List<String> ids) {
		this.recommendations = List.copyOf(ids);
	}

	public Facts facts() {
		return facts;
	}

	public List<String> recommendations() {
		return recommendations;
	}

	public void requestExitCode(int code) {
		exitCode = Math.max(exitCode, code);
	}

	public int exitCode() {
		return exitCode;
	}
}
