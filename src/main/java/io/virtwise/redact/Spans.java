package io.virtwise.redact;

import java.util.Arrays;

/** Where the secrets of one text are: half-open character ranges, merged where they touch. */
final class Spans {

	private long[] ranges = new long[16];
	private int size;

	void add(int start, int end) {
		if (end <= start) {
			return;
		}
		if (size == ranges.length) {
			ranges = Arrays.copyOf(ranges, size * 2);
		}
		ranges[size++] = ((long) start << 32) | end;
	}

	boolean isEmpty() {
		return size == 0;
	}

	/** Sorted, overlapping ranges joined: pairs of start and end. */
	int[] merged() {
		long[] sorted = Arrays.copyOf(ranges, size);
		Arrays.sort(sorted);
		int[] out = new int[size * 2];
		int count = 0;
		for (long range : sorted) {
			int start = (int) (range >>> 32);
			int end = (int) range;
			if (count > 0 && start <= out[count - 1]) {
				out[count - 1] = Math.max(out[count - 1], end);
			}
			else {
				out[count++] = start;
				out[count++] = end;
			}
		}
		return Arrays.copyOf(out, count);
	}

	/** The text with each range replaced by {@code marker}. */
	String apply(String text, String marker) {
		int[] merged = merged();
		if (merged.length == 0) {
			return text;
		}
		StringBuilder out = new StringBuilder(text.length());
		int at = 0;
		for (int i = 0; i < merged.length; i += 2) {
			out.append(text, at, merged[i]).append(marker);
			at = merged[i + 1];
		}
		return out.append(text, at, text.length()).toString();
	}
}
