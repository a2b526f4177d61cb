package io.virtwise.advice;

import java.util.ArrayList;
import java.util.List;

/**
 * The DRL global {@code advice}: rules hand it recommendations; the engine tags each with the
 * rule that was firing at the time, which is the evidence trail a user sees.
 */
public final class AdviceSink {

	private final List<Recommendation> recommendations = new ArrayList<>();
	private String firingRule = "?";

	public void firing(String ruleLabel) {
		this.firingRule = ruleLabel;
	}

	public void add(Recommendation recommendation) {
		recommendations.add(recommendation.withRule(firingRule));
	}

	public void add(Recommendation.Builder builder) {
		add(builder.build());
	}

	public List<Recommendation> recommendations() {
		return recommendations;
	}
}
