package io.virtwise.probe.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code sockperf ping-pong} client run printed (sockperf 3.7). With {@code --full-rtt}
 * every figure is a full round trip in microseconds; without it sockperf halves them, so
 * {@link #roundTrip()} tells which one we read. Only the observations of the "Valid Duration"
 * count: sockperf drops the first 400 ms (its own warm-up) and the last 50 ms.
 *
 * @param percentiles percentile (e.g. 50.0, 99.0) to microseconds
 */
public record SockperfOutput(boolean roundTrip, double averageUs, long observations, double validSeconds,
		double minUs, double maxUs, Map<Double, Double> percentiles) {

	private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
	private static final Pattern AVERAGE = Pattern.compile("avg-(rtt|latency)=([0-9.]+)");
	private static final Pattern OBSERVATIONS = Pattern.compile("Total (\\d+) observations");
	private static final Pattern VALID = Pattern.compile("\\[Valid Duration\\] RunTime=([0-9.]+) sec");
	private static final Pattern PERCENTILE = Pattern.compile("percentile ([0-9.]+) =\\s*([0-9.]+)");
	private static final Pattern MIN = Pattern.compile("<MIN> observation =\\s*([0-9.]+)");
	private static final Pattern MAX = Pattern.compile("<MAX> observation =\\s*([0-9.]+)");
	private static final Pattern ERROR = Pattern.compile("(?m)^sockperf: ERROR: (.*)$");

	public SockperfOutput {
		percentiles = Collections.unmodifiableMap(new TreeMap<>(percentiles));
	}

	public double medianUs() {
		return percentile(50.0);
	}

	public double p99Us() {
		return percentile(99.0);
	}

	private double percentile(double p) {
		Double value = percentiles.get(p);
		if (value == null) {
			throw new ProbeOutputException("sockperf printed no " + p + " percentile");
		}
		return value;
	}

	public static SockperfOutput parse(String output) {
		String text = ANSI.matcher(output == null ? "" : output).replaceAll("");
		Matcher error = ERROR.matcher(text);
		if (error.find()) {
			throw new ProbeOutputException("sockperf: " + error.group(1).strip());
		}
		Matcher average = AVERAGE.matcher(text);
		Matcher observations = OBSERVATIONS.matcher(text);
		if (!average.find() || !observations.find()) {
			throw new ProbeOutputException("sockperf printed no latency statistics" + lastLine(text));
		}
		Map<Double, Double> percentiles = new TreeMap<>();
		Matcher p = PERCENTILE.matcher(text);
		while (p.find()) {
			percentiles.put(Double.parseDouble(p.group(1)), Double.parseDouble(p.group(2)));
		}
		long count = Long.parseLong(observations.group(1));
		if (count == 0 || !percentiles.containsKey(50.0) || !percentiles.containsKey(99.0)) {
			throw new ProbeOutputException("sockperf measured no round trips (" + count + " observations)");
		}
		Matcher valid = VALID.matcher(text);
		Matcher min = MIN.matcher(text);
		Matcher max = MAX.matcher(text);
		return new SockperfOutput("rtt".equals(average.group(1)), Double.parseDouble(average.group(2)), count,
				valid.find() ? Double.parseDouble(valid.group(1)) : Double.NaN,
				min.find() ? Double.parseDouble(min.group(1)) : Double.NaN,
				max.find() ? Double.parseDouble(max.group(1)) : Double.NaN, percentiles);
	}

	private static String lastLine(String text) {
		String last = text.strip().lines().reduce((a, b) -> b).orElse("");
		return last.isEmpty() ? "" : ": " + last;
	}
}
