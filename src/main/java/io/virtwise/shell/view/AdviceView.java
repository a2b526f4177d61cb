package io.virtwise.shell.view;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.virtwise.advice.Evidence;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.Severity;

/** Shows recommendations as text, JSON or Markdown; the rules never format anything themselves. */
public final class AdviceView {

	private final Styler styler;

	public AdviceView(Styler styler) {
		this.styler = styler;
	}

	/**
	 * @param dockerUnavailable why the facts have no engine and containers, else {@code null}
	 * @param kvmUnavailable why the facts have no KVM guests although libvirt was asked, else {@code null}
	 */
	public String render(List<Recommendation> recommendations, RuleBase ruleBase, String factsOrigin,
			String dockerUnavailable, String kvmUnavailable, OutputFormat format) {
		return switch (format) {
			case TEXT -> text(recommendations, ruleBase, factsOrigin) + note(DOCKER_NOTE, dockerUnavailable, "\n")
					+ note(KVM_NOTE, kvmUnavailable, "\n");
			case JSON -> json(recommendations, ruleBase, factsOrigin, dockerUnavailable, kvmUnavailable);
			case MARKDOWN -> markdown(recommendations, ruleBase, factsOrigin) + note(DOCKER_NOTE, dockerUnavailable, "\n\n")
					+ note(KVM_NOTE, kvmUnavailable, "\n\n");
			case HTML -> throw new IllegalArgumentException("advice has no HTML view");
		};
	}

	/** One line after the advice, so a reader does not take "no findings" for well-configured containers or guests. */
	static String note(String prefix, String unavailable, String separator) {
		return unavailable == null ? "" : separator + prefix + unavailable;
	}

	static final String KVM_NOTE = "No KVM guests in this advice: ";
	static final String DOCKER_NOTE = "No Docker containers in this advice: ";

	String text(List<Recommendation> recommendations, RuleBase ruleBase, String factsOrigin) {
		StringBuilder out = new StringBuilder();
		for (Recommendation r : recommendations) {
			out.append(severityTag(r.severity())).append(' ').append(styler.bold(r.id())).append("  ")
				.append(r.title());
			if (r.subject() != null && !r.subject().equals("host")) {
				out.append("  ").append(styler.cyan("[" + r.subject() + "]"));
			}
			out.append('\n');
			out.append("    evidence:  ").append(evidenceLine(r.evidence())).append('\n');
			if (!r.fix().isEmpty()) {
				out.append("    fix:\n");
				r.fix().forEach(line -> out.append("      ").append(styler.green(line)).append('\n'));
			}
			if (!r.rollback().isEmpty()) {
				out.append("    rollback:\n");
				r.rollback().forEach(line -> out.append("      ").append(line).append('\n'));
			}
			appendField(out, "trade-off", r.tradeOff());
			appendField(out, "effect", r.expectedEffect());
			appendField(out, "source", r.source());
			out.append("    restart:   ").append(r.needsRestart() ? "needed" : "not needed").append('\n');
			out.append("    ").append(styler.dim("rule: " + r.rule())).append("\n\n");
		}
		out.append(summary(recommendations, ruleBase, factsOrigin));
		return out.toString();
	}

	private void appendField(StringBuilder out, String label, String value) {
		if (value != null && !value.isBlank()) {
			out.append("    ").append(String.format("%-10s ", label + ":")).append(value).append('\n');
		}
	}

	private String severityTag(Severity severity) {
		String tag = String.format("%-10s", "[" + severity.name() + "]");
		return switch (severity) {
			case CRITICAL, HIGH -> styler.red(tag);
			case MEDIUM -> styler.yellow(tag);
			case LOW, INFO -> styler.dim(tag);
		};
	}

	private static String evidenceLine(List<Evidence> evidence) {
		return evidence.isEmpty() ? "(none recorded)"
				: evidence.stream().map(e -> e.fact() + " = " + e.value()).collect(Collectors.joining("; "));
	}

	private static String summary(List<Recommendation> recommendations, RuleBase ruleBase, String factsOrigin) {
		Map<Severity, Long> counts = new EnumMap<>(Severity.class);
		recommendations.forEach(r -> counts.merge(r.severity(), 1L, Long::sum));
		String bySeverity = counts.entrySet().stream()
			.sorted(Map.Entry.<Severity, Long>comparingByKey().reversed())
			.map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
			.collect(Collectors.joining(", "));
		return (recommendations.isEmpty() ? "No recommendations" : recommendations.size()
				+ (recommendations.size() == 1 ? " recommendation" : " recommendations") + " (" + bySeverity + ")")
				+ " from " + ruleBase.rules().size() + " rules in " + ruleBase.folder() + " (rules "
				+ ruleBase.contentHash().substring(0, 12) + ") on facts from " + factsOrigin + ".";
	}

	static String json(List<Recommendation> recommendations, RuleBase ruleBase, String factsOrigin, String dockerUnavailable,
			String kvmUnavailable) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("factsFrom", factsOrigin);
		if (dockerUnavailable != null) {
			document.put("dockerUnavailable", dockerUnavailable);
		}
		if (kvmUnavailable != null) {
			document.put("kvmUnavailable", kvmUnavailable);
		}
		document.put("rulesFolder", ruleBase.folder().toString());
		document.put("rulesHash", ruleBase.contentHash());
		document.put("recommendations", recommendations);
		return OutputFormat.json(document);
	}

	static String markdown(List<Recommendation> recommendations, RuleBase ruleBase, String factsOrigin) {
		StringBuilder out = new StringBuilder("# virtwise advice\n\n");
		out.append(summary(recommendations, ruleBase, factsOrigin)).append("\n\n");
		if (!recommendations.isEmpty()) {
			out.append("| severity | id | title | subject |\n|---|---|---|---|\n");
			for (Recommendation r : recommendations) {
				out.append("| ").append(r.severity().name().toLowerCase(Locale.ROOT)).append(" | `").append(r.id())
					.append("` | ").append(cell(r.title())).append(" | ").append(cell(r.subject())).append(" |\n");
			}
		}
		for (Recommendation r : recommendations) {
			out.append("\n## ").append(r.id()).append(": ").append(r.title()).append("\n\n");
			out.append("- **Severity:** ").append(r.severity().name().toLowerCase(Locale.ROOT)).append('\n');
			out.append("- **Subject:** ").append(r.subject()).append('\n');
			out.append("- **Evidence:**\n");
			r.evidence().forEach(e -> out.append("  - `").append(e.fact()).append("` = `").append(e.value()).append("`\n"));
			if (r.tradeOff() != null) {
				out.append("- **Trade-off:** ").append(r.tradeOff()).append('\n');
			}
			if (r.expectedEffect() != null) {
				out.append("- **Expected effect:** ").append(r.expectedEffect()).append('\n');
			}
			if (r.source() != null) {
				out.append("- **Source:** ").append(r.source()).append('\n');
			}
			out.append("- **Restart:** ").append(r.needsRestart() ? "needed" : "not needed").append('\n');
			out.append("- **Rule:** ").append(r.rule()).append('\n');
			if (!r.fix().isEmpty()) {
				out.append("\nFix:\n\n```sh\n");
				r.fix().forEach(line -> out.append(line).append('\n'));
				out.append("```\n");
			}
			if (!r.rollback().isEmpty()) {
				out.append("\nRollback:\n\n```sh\n");
				r.rollback().forEach(line -> out.append(line).append('\n'));
				out.append("```\n");
			}
		}
		return out.toString();
	}

	private static String cell(String text) {
		return text == null ? "" : text.replace("|", "\\|");
	}
}
