package io.virtwise.shell;

import io.virtwise.shell.view.AdviceView;
import io.virtwise.shell.view.OutputFormat;
import io.virtwise.gather.FactsGatherer;
import java.nio.file.Path;
import java.util.List;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleBaseException;
import io.virtwise.advice.rules.RuleBaseService;
import io.virtwise.advice.Severity;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import io.virtwise.facts.FactsJson;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

@Component
public class AdviseCommands {

	private final FactsGatherer gatherer;
	private final RuleBaseService rules;
	private final AdviceView view;
	private final CommandOutcome outcome;

	public AdviseCommands(FactsGatherer gatherer, RuleBaseService rules, AdviceView view, CommandOutcome outcome) {
		this.gatherer = gatherer;
		this.rules = rules;
		this.view = view;
		this.outcome = outcome;
	}

	@Command(name = "advise", group = "Advise", description = "Gather facts, run the rule base and recommend fixes",
			help = "Every recommendation shows its evidence, the exact fix, its trade-off, the expected effect with its "
					+ "published source, and whether it needs a restart. --facts FILE advises on a saved facts file "
					+ "instead of this host; --fail-on SEVERITY exits 1 when anything at or above it is found.",
			completionProvider = OptionValueCompletion.BEAN)
	public String advise(
			@Option(longName = "facts", description = "advise on a saved facts file instead of this host") String factsFile,
			@Option(longName = "format", description = OutputFormat.TEXT_JSON_OR_MARKDOWN, defaultValue = "text") String format,
			@Option(longName = "fail-on", description = "exit 1 if a recommendation is at or above this severity (info, low, medium, high, critical)") String failOn,
			@Option(longName = "timing", description = "print on stderr how long facts, rule base and evaluation took") boolean timing)
			throws RuleBaseException, FactsFileException {
		long start = System.nanoTime();
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN);
		Severity threshold = failOn == null || failOn.isBlank() ? null : parseSeverity(failOn);
		Facts facts;
		String origin;
		if (factsFile != null && !factsFile.isBlank()) {
			facts = FactsJson.read(Path.of(factsFile)).withSource(factsFile);
			origin = factsFile;
		}
		else {
			// Facts from 'facts import' when there are any, else this machine now.
			facts = gatherer.current();
			origin = gatherer.currentOrigin();
		}
		long factsReady = System.nanoTime();
		RuleBase ruleBase = rules.get();
		long rulesReady = System.nanoTime();
		List<Recommendation> recommendations = AdviceEngine.evaluate(ruleBase, facts);
		long evaluated = System.nanoTime();
		if (timing) {
			System.err.printf("timing: facts %.1f ms, waiting for rule base %.1f ms, evaluation %.1f ms (%d containers, %d guests, %d recommendations)%n",
					(factsReady - start) / 1e6, (rulesReady - factsReady) / 1e6, (evaluated - rulesReady) / 1e6,
					facts.containers().size(), facts.guests().size(), recommendations.size());
		}
		outcome.attachFacts(facts.withSource(origin)); // a replay then names the same origin
		outcome.attachRecommendations(recommendations.stream().map(r -> r.severity() + " " + r.id() + " " + r.subject()).toList());
		if (threshold != null && recommendations.stream().anyMatch(r -> r.severity().atLeast(threshold))) {
			outcome.requestExitCode(ExitCodes.FINDINGS);
		}
		return view.render(recommendations, ruleBase, origin, facts.dockerUnavailable(), facts.kvmUnavailable(), chosen);
	}

	private static Severity parseSeverity(String text) {
		try {
			return Severity.parse(text);
		}
		catch (IllegalArgumentException e) {
			throw VirtwiseException.usage("--fail-on: " + e.getMessage());
		}
	}
}
