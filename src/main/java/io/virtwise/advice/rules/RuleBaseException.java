package io.virtwise.advice.rules;

import java.util.List;

/** The rule folder could not be turned into a rule base; {@link #problems()} says where. */
public class RuleBaseException extends Exception {

	private final List<RuleProblem> problems;

	public RuleBaseException(String message, List<RuleProblem> problems) {
		super(problems.isEmpty() ? message : message + ": " + problems.get(0)
				+ (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
		this.problems = List.copyOf(problems);
	}

	public List<RuleProblem> problems() {
		return problems;
	}
}
