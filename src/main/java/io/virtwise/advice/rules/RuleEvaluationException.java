package io.virtwise.advice.rules;

/**
 * A rule failed while advice was computed: it threw, or fired or ran past the engine's bounds.
 * Rules are user-editable input, so this is a fault of the rule base, not of virtwise; the
 * message is one line naming the rule and its file:line.
 */
public class RuleEvaluationException extends RuntimeException {

	private final RuleInfo rule;

	public RuleEvaluationException(RuleInfo rule, String message, Throwable cause) {
		super(message, cause);
		this.rule = rule;
	}

	/** The rule at fault; its file is "?" when the engine could not say which one it was. */
	public RuleInfo rule() {
		return rule;
	}
}
