package io.virtwise.kvm.xml;

import java.util.List;
import java.util.Objects;

/**
 * A text given as an original and the ranges of it replaced. Many edits of one large domain share
 * its original, so a guest with thousands of disks and a fix per disk holds one copy, not thousands;
 * the whole text is built only when asked for.
 */
public final class EditedText {

	/** Characters {@code start} to {@code end} of the original replaced by {@code text}. */
	public record Replacement(int start, int end, String text) {

		public Replacement {
			Objects.requireNonNull(text, "text");
			if (start < 0 || end < start) {
				throw new IllegalArgumentException("bad range " + start + ".." + end);
			}
		}
	}

	private final String original;
	private final List<Replacement> replacements;

	private EditedText(String original, List<Replacement> replacements) {
		this.original = Objects.requireNonNull(original, "original");
		this.replacements = List.copyOf(replacements);
		int end = 0;
		for (Replacement r : this.replacements) {
			if (r.start() < end || r.end() > original.length()) {
				throw new IllegalArgumentException("replacements overlap or run past the text");
			}
			end = r.end();
		}
	}

	/** The original with these replacements, in order and apart. */
	public static EditedText of(String original, List<Replacement> replacements) {
		return new EditedText(original, replacements);
	}

	/** A text known whole. */
	public static EditedText whole(String text) {
		return new EditedText(text, List.of());
	}

	public String text() {
		if (replacements.isEmpty()) {
			return original;
		}
		StringBuilder out = new StringBuilder(original.length() + 256);
		int at = 0;
		for (Replacement r : replacements) {
			out.append(original, at, r.start()).append(r.text());
			at = r.end();
		}
		return out.append(original, at, original.length()).toString();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof EditedText e && text().equals(e.text());
	}

	@Override
	public int hashCode() {
		return text().hashCode();
	}

	@Override
	public String toString() {
		return text();
	}
}
