package io.virtwise.shell.view;

import io.virtwise.facts.Probes;
import io.virtwise.facts.ProbePaths;
import io.virtwise.facts.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.probe.core.Skipped;

/**
 * Shows a probe report as ratios to native, the comparison RC25482 makes: every figure against the native baseline of
 * the same metric and placement, with a bar, grouped by metric; then what was skipped and why.
 */
public final class ProbeView {

	static final int BAR_WIDTH = 40;

	private final Styler styler;

	public ProbeView(Styler styler) {
		this.styler = styler;
	}

	public String text(ProbeReport report, boolean commands) {
		StringBuilder out = new StringBuilder();
		out.append(styler.bold(command(report) + ": " + report.subject())).append(styler.dim(String.format(Locale.ROOT,
				"  run %s, %.1f s of %.0f s", report.runId(), report.seconds(), report.deadlineSeconds()))).append('\n');
		if (report.results().isEmpty()) {
			out.append("No measurements.\n");
		}
		Map<String, List<ProbeResult>> groups = new LinkedHashMap<>();
		for (ProbeResult r : report.results()) {
			groups.computeIfAbsent(r.probe() + " " + r.metric() + (r.placement() == null ? "" : ", " + r.placement()),
					k -> new ArrayList<>()).add(r);
		}
		groups.forEach((title, rows) -> group(out, title, rows, commands));
		if (report.results().stream().anyMatch(r -> Boolean.TRUE.equals(r.emulated()))) {
			out.append('\n').append(styler.yellow("* emulated: measured under QEMU TCG, not KVM")).append('\n');
		}
		if (!report.skipped().isEmpty()) {
			out.append('\n').append(styler.bold("Skipped")).append('\n');
			for (Skipped s : report.skipped()) {
				String where = String.join(" ", nonNull(s.probe(), s.path(), s.placement(), s.what()));
				out.append("  ").append(styler.yellow(where)).append(": ").append(s.reason()).append('\n');
			}
		}
		if (!report.notes().isEmpty()) {
			out.append('\n').append(styler.bold("How")).append('\n');
			report.notes().forEach(n -> out.append("  ").append(styler.dim(n)).append('\n'));
		}
		if (!report.sweptLeftovers().isEmpty()) {
			out.append('\n').append("Removed leftovers of earlier runs: ").append(String.join(", ", report.sweptLeftovers())).append('\n');
		}
		return out.toString().stripTrailing();
	}

	/** The command that made the report, from its probe names: kvm-io is {@code probe kvm}. */
	private static String command(ProbeReport report) {
		String probe = java.util.stream.Stream.concat(report.results().stream().map(ProbeResult::probe),
				report.skipped().stream().map(Skipped::probe)).filter(Objects::nonNull).findFirst().orElse("docker");
		return probe.equals(Probes.KVM_CPU) ? "probe kvm-cpu" : probe.startsWith("kvm-") ? "probe kvm" : "probe docker";
	}

	private void group(StringBuilder out, String title, List<ProbeResult> rows, boolean commands) {
		ProbeResult first = rows.get(0);
		out.append('\n').append(styler.bold(title)).append(styler.dim("  (" + first.unit() + ", " + direction(first.metric())
				+ "; ratio to " + baselineName(first) + ")")).append('\n');
		double max = rows.stream().map(ProbeResult::ratioToBaseline).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
			.max().orElse(1);
		double scale = BarChart.scale(max, BAR_WIDTH);
		int pathWidth = rows.stream().mapToInt(r -> r.path().length() + (Boolean.TRUE.equals(r.emulated()) ? 1 : 0)).max().orElse(8);
		for (ProbeResult r : rows) {
			Double ratio = r.ratioToBaseline();
			String figure = String.format(Locale.ROOT, "%10s %-7s", number(r.median()), r.unit());
			String spread = String.format(Locale.ROOT, "[%s-%s, n=%d]", number(r.min()), number(r.max()), r.repetitions());
			String p99 = r.p99() == null ? "" : " p99 " + number(r.p99());
			String ratioText = ratio == null ? "   (no baseline)" : String.format(Locale.ROOT, "%6.2fx ", ratio);
			String bar = ratio == null ? "" : colour(r.metric(), ratio, BarChart.bar(ratio, scale));
			String path = Boolean.TRUE.equals(r.emulated()) ? r.path() + "*" : r.path();
			out.append(String.format(Locale.ROOT, "  %-" + pathWidth + "s %s", path, figure)).append(ratioText).append(bar)
				.append("  ").append(styler.dim(spread + p99)).append('\n');
			if (commands) {
				r.commands().forEach(c -> out.append("      $ ").append(styler.dim(c)).append('\n'));
			}
		}
	}

	/** Worse than native by more than 10 % is yellow, by more than double red. */
	private String colour(String metric, double ratio, String bar) {
		double cost = lowerIsBetter(metric) ? ratio : 1 / ratio;
		return cost > 2 ? styler.red(bar) : cost > 1.1 ? styler.yellow(bar) : styler.green(bar);
	}

	static boolean lowerIsBetter(String metric) {
		return metric.endsWith("latency") || metric.endsWith("-ms") || metric.startsWith("cpu-us-per");
	}

	private static String direction(String metric) {
		return lowerIsBetter(metric) ? "lower is better" : "higher is better";
	}

	private static String baselineName(ProbeResult r) {
		if (r.metric().equals(Metrics.COPY_UP_MS)) {
			return "a write to the already copied-up file";
		}
		if (r.probe().startsWith("kvm-")) {
			return "host";
		}
		return r.probe().equals(Probes.DOCKER_NETWORK) ? ProbePaths.LOOPBACK : ProbePaths.HOST_DIR;
	}

	static String number(Double value) {
		if (value == null) {
			return "-";
		}
		double v = value;
		if (v >= 1000) {
			return String.format(Locale.ROOT, "%.0f", v);
		}
		if (v >= 100) {
			return String.format(Locale.ROOT, "%.1f", v);
		}
		return String.format(Locale.ROOT, "%.2f", v);
	}

	private static List<String> nonNull(String... parts) {
		List<String> list = new ArrayList<>();
		for (String p : parts) {
			if (p != null && !p.isBlank()) {
				list.add(p);
			}
		}
		return list;
	}
}
