package io.virtwise.probe.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median, min and max of the repetitions of one measurement. The median, not the mean: one
 * run disturbed by a neighbour should not move the figure.
 */
public record Summary(double median, double min, double max, int count) {

	public static Summary of(List<Double> values) {
		if (values == null || values.isEmpty()) {
			throw new IllegalArgumentException("no values to summarise");
		}
		List<Double> sorted = new ArrayList<>(values);
		for (Double v : sorted) {
			if (v == null || v.isNaN() || v.isInfinite()) {
				throw new IllegalArgumentException("not a measurement: " + v);
			}
		}
		Collections.sort(sorted);
		return new Summary(median(sorted), sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
	}

	/** The middle value, or the mean of the two middle values of an even count. */
	public static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		if (n == 0) {
			throw new IllegalArgumentException("no values");
		}
		return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
	}

	/**
	 * Nearest-rank percentile of raw observations (p in 0..100], for figures we time ourselves;
	 * sockperf computes its own percentiles over all its observations.
	 */
	public static double percentile(List<Double> values, double p) {
		if (values.isEmpty() || p <= 0 || p > 100) {
			throw new IllegalArgumentException("percentile " + p + " of " + values.size() + " values");
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int rank = (int) Math.ceil(p / 100.0 * sorted.size());
		return sorted.get(Math.max(0, rank - 1));
	}

	/** Ratio to a baseline median: each figure against native, as RC25482 compares them; null without one. */
	public static Double ratio(double median, Double baselineMedian) {
		return baselineMedian == null || baselineMedian == 0 ? null : median / baselineMedian;
	}
}
