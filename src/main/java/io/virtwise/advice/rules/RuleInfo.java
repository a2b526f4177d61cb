package io.virtwise.advice.rules;

/** A loaded rule, the file it came from and the line of its {@code rule} header (0 when not found). */
public record RuleInfo(String name, String file, int line) {

	/** {@code file:line}, as an editor jumps to it. */
	public String location() {
		return file + ":" + line;
	}
}
