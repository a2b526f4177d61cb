package io.virtwise.shell.view;

/**
 * Horizontal bars of Unicode block elements with eighth-cell resolution, for ratios to a
 * baseline: at most 8 cells per 1.0x, fewer when the largest ratio would not fit the width.
 */
public final class BarChart {

	private static final String[] EIGHTHS = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
	private static final char FULL = '█';

	private BarChart() {
	}

	/** Cells per 1.0x so that {@code maxRatio} fits in {@code width} cells, never more than 8. */
	public static double scale(double maxRatio, int width) {
		if (maxRatio <= 0 || Double.isNaN(maxRatio)) {
			return 8;
		}
		return Math.min(8.0, width / maxRatio);
	}

	/** The bar for {@code ratio} at {@code cellsPerUnit} cells per 1.0x, rounded to an eighth of a cell. */
	public static String bar(double ratio, double cellsPerUnit) {
		if (ratio <= 0 || Double.isNaN(ratio) || Double.isInfinite(ratio)) {
			return "";
		}
		long eighths = Math.round(ratio * cellsPerUnit * 8);
		if (eighths == 0) {
			return EIGHTHS[1]; // something measured is never drawn as nothing
		}
		StringBuilder bar = new StringBuilder();
		for (long i = 0; i < eighths / 8; i++) {
			bar.append(FULL);
		}
		return bar.append(EIGHTHS[(int) (eighths % 8)]).toString();
	}
}
