package io.virtwise.shell.view;

import java.util.List;
import java.util.Locale;

import io.virtwise.session.SessionDiff;

/** Shows a before/after comparison as text with a bar chart, Markdown, JSON, or one self-contained HTML page. */
public final class SessionDiffView {

	private static final int BAR_WIDTH = 30;

	private SessionDiffView() {
	}

	public static String text(SessionDiff d) {
		StringBuilder out = new StringBuilder("Compare " + d.before() + " (A) -> " + d.after() + " (B)\n");
		out.append("\nProbe results, B/A (below 1.00x: B is lower; for latency lower is better):\n");
		if (d.probes().isEmpty()) {
			out.append("  (no probe figures measured in both sessions)\n");
		}
		int width = d.probes().stream().mapToInt(p -> p.key().length()).max().orElse(10);
		double max = d.probes().stream().mapToDouble(SessionDiff.ProbeChange::ratio).filter(r -> !Double.isNaN(r)).max().orElse(1);
		for (SessionDiff.ProbeChange p : d.probes()) {
			out.append(String.format(Locale.ROOT, "  %-" + width + "s %10.2f -> %-10.2f %-6s %6.2fx %s%n", p.key(), p.before(),
					p.after(), p.unit() == null ? "" : p.unit(), p.ratio(), bar(p.ratio(), Math.max(max, 1))));
		}
		section(out, "Recommendations that disappeared", d.disappeared());
		section(out, "Recommendations that appeared", d.appeared());
		section(out, "Recommendations whose severity changed", d.changedSeverity());
		out.append("\nFacts that changed:\n");
		if (d.facts().isEmpty()) {
			out.append("  (none)\n");
		}
		d.facts().forEach(f -> out.append("  ").append(f.path()).append(": ").append(f.before()).append(" -> ").append(f.after()).append('\n'));
		return out.toString().stripTrailing();
	}

	static String bar(double ratio, double max) {
		if (Double.isNaN(ratio)) {
			return "";
		}
		double cells = ratio / max * BAR_WIDTH;
		int full = (int) cells;
		StringBuilder bar = new StringBuilder("█".repeat(full));
		if (cells - full >= 0.5) {
			bar.append('▌');
		}
		return bar.toString();
	}

	private static void section(StringBuilder out, String title, List<String> items) {
		out.append('\n').append(title).append(":\n");
		if (items.isEmpty()) {
			out.append("  (none)\n");
		}
		items.forEach(i -> out.append("  ").append(i).append('\n'));
	}

	public static String markdown(SessionDiff d) {
		StringBuilder out = new StringBuilder("# virtwise: " + d.before() + " -> " + d.after() + "\n\n## Probe results (B/A)\n\n");
		if (d.probes().isEmpty()) {
			out.append("No probe figures measured in both sessions.\n");
		}
		else {
			out.append("| measurement | A | B | unit | B/A |\n|---|---|---|---|---|\n");
			d.probes().forEach(p -> out.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s | %.2fx |%n", p.key(),
					p.before(), p.after(), p.unit() == null ? "" : p.unit(), p.ratio())));
		}
		mdList(out, "Recommendations that disappeared", d.disappeared());
		mdList(out, "Recommendations that appeared", d.appeared());
		mdList(out, "Recommendations whose severity changed", d.changedSeverity());
		out.append("\n## Facts that changed\n\n");
		if (d.facts().isEmpty()) {
			out.append("None.\n");
		}
		else {
			out.append("| fact | A | B |\n|---|---|---|\n");
			d.facts().forEach(f -> out.append("| `").append(f.path()).append("` | ").append(f.before()).append(" | ")
				.append(f.after()).append(" |\n"));
		}
		return out.toString();
	}

	private static void mdList(StringBuilder out, String title, List<String> items) {
		out.append("\n## ").append(title).append("\n\n");
		if (items.isEmpty()) {
			out.append("None.\n");
		}
		items.forEach(i -> out.append("- ").append(i).append('\n'));
	}

	public static String json(SessionDiff d) {
		return OutputFormat.json(d);
	}

	/** One file, no external assets: the chart is inline SVG so it opens anywhere, offline. */
	public static String html(SessionDiff d) {
		StringBuilder out = new StringBuilder();
		out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>virtwise: ")
			.append(esc(d.before())).append(" -> ").append(esc(d.after())).append("</title>\n<style>")
			.append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
			.append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}h1{font-size:1.4em}")
			.append(".gone{color:#080}.new{color:#b00}</style></head><body>\n");
		out.append("<h1>virtwise: ").append(esc(d.before())).append(" (A) &rarr; ").append(esc(d.after())).append(" (B)</h1>\n");
		out.append("<h2>Probe results, B/A</h2>\n");
		if (d.probes().isEmpty()) {
			out.append("<p>No probe figures measured in both sessions.</p>\n");
		}
		else {
			out.append(svgChart(d.probes()));
		}
		htmlList(out, "Recommendations that disappeared", d.disappeared(), "gone");
		htmlList(out, "Recommendations that appeared", d.appeared(), "new");
		htmlList(out, "Recommendations whose severity changed", d.changedSeverity(), "");
		out.append("<h2>Facts that changed</h2>\n<table><tr><th>fact</th><th>A</th><th>B</th></tr>\n");
		d.facts().forEach(f -> out.append("<tr><td><code>").append(esc(f.path())).append("</code></td><td>")
			.append(esc(f.before())).append("</td><td>").append(esc(f.after())).append("</td></tr>\n"));
		out.append("</table>\n</body></html>\n");
		return out.toString();
	}

	private static String svgChart(List<SessionDiff.ProbeChange> probes) {
		int rowHeight = 26;
		int labelWidth = 420;
		int chartWidth = 360;
		double max = Math.max(1, probes.stream().mapToDouble(SessionDiff.ProbeChange::ratio).filter(r -> !Double.isNaN(r)).max().orElse(1));
		int height = probes.size() * rowHeight + 30;
		StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
				"<svg id=\"ratios\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"B/A ratios\">%n",
				labelWidth + chartWidth + 80, height));
		double one = labelWidth + chartWidth / max;
		svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"4\"/>%n", one, one, height - 20));
		for (int i = 0; i < probes.size(); i++) {
			SessionDiff.ProbeChange p = probes.get(i);
			double ratio = Double.isNaN(p.ratio()) ? 0 : p.ratio();
			int y = i * rowHeight + 4;
			svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"13\">%s</text>%n", y + 15, esc(p.key())));
			svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"#3b7dd8\"/>%n",
					labelWidth, y, ratio / max * chartWidth));
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"13\">%.2fx</text>%n",
					labelWidth + ratio / max * chartWidth + 6, y + 15, ratio));
		}
		svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" fill=\"#555\">1.00x</text>%n", one - 14, height - 4));
		return svg.append("</svg>\n").toString();
	}

	private static void htmlList(StringBuilder out, String title, List<String> items, String css) {
		out.append("<h2>").append(title).append("</h2>\n<ul>\n");
		if (items.isEmpty()) {
			out.append("<li>none</li>\n");
		}
		items.forEach(i -> out.append("<li class=\"").append(css).append("\">").append(esc(i)).append("</li>\n"));
		out.append("</ul>\n");
	}

	private static String esc(String text) {
		return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}
}
