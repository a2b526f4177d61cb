package io.virtwise.advice;

import io.virtwise.kvm.xml.EditedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.virtwise.facts.ProbeResult;

/**
 * The one shape every rule emits. It says what to change and why; how it is shown (text,
 * JSON, Markdown) is the renderers' business, so nothing here is formatted.
 *
 * @param id stable identifier, e.g. {@code HOST-HUGEPAGES-NONE}
 * @param subject what the finding is about: {@code host}, a container or a guest name
 * @param evidence the facts and measured numbers that fired the rule
 * @param fix the exact commands or configuration lines, one per entry
 * @param rollback how to undo the fix, one command or line per entry; empty only where the fix
 *        changes nothing (a measurement, a note)
 * @param expectedEffect what the fix is expected to change, in numbers where published
 * @param source the published evidence behind the expected effect
 * @param rule the rule that fired, with the file it lives in (filled in by the engine)
 * @param domainEdit for a KVM guest fix: the guest's whole domain XML after the change the diff in
 *        {@code fix} shows, as KvmFixes produced it ({@code fix apply} defines it); null otherwise.
 *        Shown as {@link #newDomainXml()}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Recommendation(
		String id,
		Severity severity,
		String title,
		String subject,
		List<Evidence> evidence,
		List<String> fix,
		List<String> rollback,
		String tradeOff,
		String expectedEffect,
		String source,
		boolean needsRestart,
		String rule,
		@JsonIgnore EditedText domainEdit) {

	public Recommendation {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(severity, "severity");
		evidence = evidence == null ? List.of() : List.copyOf(evidence);
		fix = fix == null ? List.of() : List.copyOf(fix);
		rollback = rollback == null ? List.of() : List.copyOf(rollback);
	}

	public Recommendation withRule(String ruleName) {
		return new Recommendation(id, severity, title, subject, evidence, fix, rollback, tradeOff, expectedEffect, source,
				needsRestart, ruleName, domainEdit);
	}

	/** The guest's whole domain XML after the change, built when asked for; null when the fix is not a domain edit. */
	@JsonProperty("newDomainXml")
	public String newDomainXml() {
		return domainEdit == null ? null : domainEdit.text();
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
		private final List<String> fix = new ArrayList<>();
		private final List<String> rollback = new ArrayList<>();
		private String tradeOff;
		private String expectedEffect;
		private String source;
		private boolean needsRestart;
		private EditedText domainEdit;

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

		public Builder fix(String line) {
			this.fix.add(line);
			return this;
		}

		/** One line of the way back: a command, or a comment saying what to restore. */
		public Builder rollback(String line) {
			this.rollback.add(line);
			return this;
		}

		/** A fix line that only means something after the domain edit, e.g. the restart that applies it; dropped without one. */
		public Builder fixAfterEdit(String line) {
			if (domainEdit != null) {
				this.fix.add(line);
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

		/** The guest's domain XML with the fix applied (set by KvmFixes.addDiff). */
		public Builder newDomainXml(String xml) {
			return newDomainXml(xml == null ? null : EditedText.whole(xml));
		}

		public Builder newDomainXml(EditedText xml) {
			this.domainEdit = xml;
			return this;
		}

		public Recommendation build() {
			return new Recommendation(id, severity, title, subject, evidence, fix, rollback, tradeOff, expectedEffect, source,
					needsRestart, null, domainEdit);
		}
	}
}
