package io.virtwise.advice;

import io.virtwise.kvm.xml.EditedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.virtwise.facts.ProbeResult;

/**
 * The one shape every rule emits. It says what to change and why; how it is shown (text,
 * JSON, Markdown) is the renderers' business, so nothing here is formatted.
 *
 * @param id stable identifier, e.g. {@code HOST-HUGEPAGES-NONE}
 * @param subject what the finding is about: {@code host}, a container or a guest name
 * @param evidence the facts and measured numbers that fired the rule
 * @param steps the fix as typed parts (host commands, notes, a domain edit, a container re-create),
 *        printed as {@link #fix()}
 * @param rollback how to undo the fix, one command or line per entry; empty only where the fix
 *        changes nothing (a measurement, a note)
 * @param expectedEffect what the fix is expected to change, in numbers where published
 * @param source the published evidence behind the expected effect
 * @param rule the rule that fired, with the file it lives in (filled in by the engine)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "id", "severity", "title", "subject", "evidence", "fix", "rollback", "tradeOff", "expectedEffect", "source",
		"needsRestart", "rule", "newDomainXml" })
public record Recommendation(
		String id,
		Severity severity,
		String title,
		String subject,
		List<Evidence> evidence,
		@JsonIgnore List<FixStep> steps,
		List<String> rollback,
		String tradeOff,
		String expectedEffect,
		String source,
		boolean needsRestart,
		String rule) {

	public Recommendation {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(severity, "severity");
		evidence = evidence == null ? List.of() : List.copyOf(evidence);
		steps = steps == null ? List.of() : List.copyOf(steps);
		rollback = rollback == null ? List.of() : List.copyOf(rollback);
	}

	public Recommendation withRule(String ruleName) {
		return new Recommendation(id, severity, title, subject, evidence, steps, rollback, tradeOff, expectedEffect, source,
				needsRestart, ruleName);
	}

	/** The exact commands or configuration lines, one per entry: every step as it prints. */
	@JsonProperty("fix")
	public List<String> fix() {
		List<String> lines = new ArrayList<>();
		steps.forEach(step -> lines.addAll(step.lines()));
		return lines;
	}

	/** The steps of one kind, in order, e.g. the host commands a user runs by hand. */
	public <T extends FixStep> List<T> steps(Class<T> kind) {
		return steps.stream().filter(kind::isInstance).map(kind::cast).toList();
	}

	/** The edit of the guest's domain XML (the last, where a rule made several); null when the fix is not one. */
	@JsonIgnore
	public FixStep.DomainEdit domainEdit() {
		List<FixStep.DomainEdit> edits = steps(FixStep.DomainEdit.class);
		return edits.isEmpty() ? null : edits.get(edits.size() - 1);
	}

	/** The guest's whole domain XML after the change, built when asked for; null when the fix is not a domain edit. */
	@JsonProperty("newDomainXml")
	public String newDomainXml() {
		FixStep.DomainEdit edit = domainEdit();
		return edit == null || edit.newXml() == null ? null : edit.newXml().text();
	}

	public static Builder builder(String id, Severity severity, String title) {
		return new Builder(id, severity, title);
	}

	/** Fluent builder so DRL consequences stay short and readable. */
	public static final class Builder {

		private final String id;
		private final Severity severity;
		private final String title;
		private String subject = "host";
		private final List<Evidence> evidence = new ArrayList<>();
		private final List<FixStep> steps = new ArrayList<>();
		private final List<String> rollback = new ArrayList<>();
		private String tradeOff;
		private String expectedEffect;
		private String source;
		private boolean needsRestart;

		private Builder(String id, Severity severity, String title) {
			this.id = id;
			this.severity = severity;
			this.title = title;
		}

		public Builder subject(String subject) {
			this.subject = subject;
			return this;
		}

		public Builder evidence(String fact, Object value) {
			this.evidence.add(new Evidence(fact, String.valueOf(value)));
			return this;
		}

		/**
		 * A measured figure as evidence under {@link Figures#key}: its median, the native baseline,
		 * the ratio between them and the placement, each when known.
		 */
		public Builder measured(ProbeResult probe) {
			String key = Figures.key(probe);
			evidence(key + ".median", Figures.number(probe.median(), probe.unit()));
			if (probe.baselineMedian() != null) {
				evidence(key + ".baselineMedian", Figures.number(probe.baselineMedian(), probe.unit()));
			}
			if (probe.ratioToBaseline() != null) {
				evidence(key + ".ratioToBaseline", Figures.number(probe.ratioToBaseline()));
			}
			if (probe.placement() != null) {
				evidence(key + ".placement", probe.placement());
			}
			if (Boolean.TRUE.equals(probe.emulated())) {
				evidence(key + ".emulated", "true (QEMU TCG, not KVM)");
			}
			return this;
		}

		/** Both figures of a gap, then the slow path's ratio to the fast one ({@code ...ratioTo<fast path>}). */
		public Builder measured(ProbeGap gap) {
			measured(gap.slow());
			measured(gap.fast());
			return evidence(Figures.key(gap.slow()) + ".ratioTo" + capitalised(gap.fast().path()), Figures.number(gap.ratio()));
		}

		private static String capitalised(String path) {
			StringBuilder out = new StringBuilder();
			for (String part : path.split("-")) {
				if (!part.isEmpty()) {
					out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
				}
			}
			return out.toString();
		}

		/** One printed fix line: a comment line becomes a {@link FixStep.Note}, any other a {@link FixStep.HostCommand}. */
		public Builder fix(String line) {
			this.steps.add(FixStep.ofLine(line));
			return this;
		}

		/** A typed part of the fix, printed where it is added. */
		public Builder step(FixStep step) {
			this.steps.add(Objects.requireNonNull(step, "step"));
			return this;
		}

		/** One line of the way back: a command, or a comment saying what to restore. */
		public Builder rollback(String line) {
			this.rollback.add(line);
			return this;
		}

		/** A fix line that only means something after the domain edit, e.g. the restart that applies it; dropped without one. */
		public Builder fixAfterEdit(String line) {
			if (steps.stream().anyMatch(s -> s instanceof FixStep.DomainEdit e && e.newXml() != null)) {
				fix(line);
			}
			return this;
		}

		public Builder tradeOff(String tradeOff) {
			this.tradeOff = tradeOff;
			return this;
		}

		public Builder effect(String expectedEffect) {
			this.expectedEffect = expectedEffect;
			return this;
		}

		public Builder source(String source) {
			this.source = source;
			return this;
		}

		public Builder restart(boolean needsRestart) {
			this.needsRestart = needsRestart;
			return this;
		}

		/** The guest's domain XML with the fix applied, where no diff is shown (KvmFixes.addDiff adds a whole {@link FixStep.DomainEdit}). */
		public Builder newDomainXml(String xml) {
			return newDomainXml(xml == null ? null : EditedText.whole(xml));
		}

		/** Replaces the edited XML of the last domain edit, or adds an edit that prints nothing, made for the subject. */
		public Builder newDomainXml(EditedText xml) {
			for (int i = steps.size() - 1; i >= 0; i--) {
				if (steps.get(i) instanceof FixStep.DomainEdit edit) {
					steps.set(i, edit.withNewXml(xml));
					return this;
				}
			}
			steps.add(new FixStep.DomainEdit(null, null, List.of(), xml));
			return this;
		}

		public Recommendation build() {
			// an edit added before subject() was called is the subject's
			List<FixStep> built = steps.stream()
				.map(s -> s instanceof FixStep.DomainEdit e && e.guest() == null ? new FixStep.DomainEdit(subject, e.backupFile(), e.diff(), e.newXml()) : s)
				.toList();
			return new Recommendation(id, severity, title, subject, evidence, built, rollback, tradeOff, expectedEffect, source,
					needsRestart, null);
		}
	}
}
