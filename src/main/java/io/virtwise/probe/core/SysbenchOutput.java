package io.virtwise.probe.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of one {@code sysbench cpu run} or {@code sysbench memory run} (sysbench 1.0.x text
 * output): events per second for cpu, MiB per second for memory, and the number of events, which
 * says how coarse the figure is (a random-access run under TCG may finish only a few).
 */
public record SysbenchOutput(Double eventsPerSecond, Double mibPerSecond, long events) {

	private static final Pattern EVENTS_PER_SECOND = Pattern.compile("events per second:\\s+([0-9.]+)");
	private static final Pattern MIB_PER_SECOND = Pattern.compile("MiB transferred \\(([0-9.]+) MiB/sec\\)");
	private static final Pattern EVENTS = Pattern.compile("total number of events:\\s+(\\d+)");

	public static SysbenchOutput parse(String text) {
		String t = text == null ? "" : text;
		Matcher events = EVENTS.matcher(t);
		if (!events.find()) {
			String first = t.strip().lines().filter(l -> l.toUpperCase().contains("FATAL") || l.contains("error")).findFirst()
				.orElse(t.isBlank() ? "no output" : "no 'total number of events' line");
			throw new ProbeOutputException("sysbench printed no result: " + first.strip());
		}
		long n = Long.parseLong(events.group(1));
		if (n == 0) {
			throw new ProbeOutputException("sysbench completed no event in its time");
		}
		return new SysbenchOutput(find(EVENTS_PER_SECOND, t), find(MIB_PER_SECOND, t), n);
	}

	private static Double find(Pattern p, String text) {
		Matcher m = p.matcher(text);
		return m.find() ? Double.valueOf(m.group(1)) : null;
	}

	/** The figure of the test that ran: cpu events/s or memory MiB/s. */
	public double value(String test) {
		Double v = test.equals("cpu") ? eventsPerSecond : mibPerSecond;
		if (v == null) {
			throw new ProbeOutputException("sysbench " + test + " printed no " + (test.equals("cpu") ? "events per second" : "MiB/sec"));
		}
		return v;
	}
}
