package io.virtwise.session;

import java.util.ArrayList;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;

/** A line diff (java-diff-utils' Myers diff), as kept, removed and added lines in order. */
public final class LineDiff {

	public enum Kind { SAME, REMOVED, ADDED }

	public record Line(Kind kind, String text) {
	}

	private LineDiff() {
	}

	public static List<Line> diff(List<String> before, List<String> after) {
		List<Line> out = new ArrayList<>();
		int i = 0;
		for (AbstractDelta<String> delta : DiffUtils.diff(before, after).getDeltas()) {
			for (; i < delta.getSource().getPosition(); i++) {
				out.add(new Line(Kind.SAME, before.get(i)));
			}
			delta.getSource().getLines().forEach(l -> out.add(new Line(Kind.REMOVED, l)));
			delta.getTarget().getLines().forEach(l -> out.add(new Line(Kind.ADDED, l)));
			i += delta.getSource().size();
		}
		for (; i < before.size(); i++) {
			out.add(new Line(Kind.SAME, before.get(i)));
		}
		return out;
	}
}
