package io.virtwise.kvm;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff ({@code ---}/{@code +++}/{@code @@}, three lines of context) between two texts,
 * line by line via a longest common subsequence: domain XML is a few hundred lines at most.
 */
public final class DomainXmlDiff {

	private static final int CONTEXT = 3;

	private DomainXmlDiff() {
	}

	/** The diff as lines; empty when the texts are equal. */
	public static List<String> diff(String before, String after, String beforeLabel, String afterLabel) {
		String[] a = lines(before);
		String[] b = lines(after);
		int[][] lcs = new int[a.length + 1][b.length + 1];
		for (int i = a.length - 1; i >= 0; i--) {
			for (int j = b.length - 1; j >= 0; j--) {
				lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
			}
		}
		// Edit script: ' ' keep, '-' remove, '+' add, with the line numbers of both sides.
		List<Op> ops = new ArrayList<>();
		int i = 0;
		int j = 0;
		while (i < a.length || j < b.length) {
			if (i < a.length && j < b.length && a[i].equals(b[j])) {
				ops.add(new Op(' ', a[i], i++, j++));
			}
			else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
				ops.add(new Op('-', a[i], i++, j));
			}
			else {
				ops.add(new Op('+', b[j], i, j++));
			}
		}
		List<String> out = new ArrayList<>();
		int k = 0;
		while (k < ops.size()) {
			if (ops.get(k).kind == ' ') {
				k++;
				continue;
			}
			int start = Math.max(0, k - CONTEXT);
			int end = k;
			// Extend the hunk while the next change is within two contexts.
			int last = k;
			for (int m = k; m < ops.size(); m++) {
				if (ops.get(m).kind != ' ') {
					if (m - last > 2 * CONTEXT) {
						break;
					}
					last = m;
				}
			}
			end = Math.min(ops.size(), last + CONTEXT + 1);
			if (out.isEmpty()) {
				out.add("--- " + beforeLabel);
				out.add("+++ " + afterLabel);
			}
			int beforeStart = ops.get(start).beforeLine;
			int afterStart = ops.get(start).afterLine;
			int beforeCount = 0;
			int afterCount = 0;
			List<String> body = new ArrayList<>();
			for (int m = start; m < end; m++) {
				Op op = ops.get(m);
				body.add(op.kind + op.text);
				if (op.kind != '+') {
					beforeCount++;
				}
				if (op.kind != '-') {
					afterCount++;
				}
			}
			out.add("@@ -" + range(beforeStart, beforeCount) + " +" + range(afterStart, afterCount) + " @@");
			out.addAll(body);
			k = end;
		}
		return out;
	}

	private static String range(int start, int count) {
		int first = count == 0 ? start : start + 1;
		return count == 1 ? String.valueOf(first) : first + "," + count;
	}

	private static String[] lines(String text) {
		if (text == null || text.isEmpty()) {
			return new String[0];
		}
		String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
		return trimmed.split("\n", -1);
	}

	private record Op(char kind, String text, int beforeLine, int afterLine) {
	}
}
