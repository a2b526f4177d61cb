package io.virtwise.advice.rules;

/** One error in a rule file, located so an editor can jump to it. */
public record RuleProblem(String file, int line, int column, String message) {

	@Override
	public String toString() {
		return file + ":" + line + ":" + column + ": " + message;
	}
}
