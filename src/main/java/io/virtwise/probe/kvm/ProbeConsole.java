package io.virtwise.probe.kvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.virtwise.probe.core.FioOutput;
import io.virtwise.probe.core.ProbeOutputException;

/**
 * What the probe guest printed on its serial console (see scripts/build-probe-guest): a
 * {@code VWPROBE-INIT} line once its /init runs, each fio job's JSON between
 * {@code VWPROBE-FIO-BEGIN job} and {@code VWPROBE-FIO-END job} (each sysbench run's text between
 * {@code VWPROBE-BENCH-BEGIN name/rep} and {@code VWPROBE-BENCH-END name/rep}), {@code VWPROBE-DONE} at the end.
 * Kernel messages may be mixed in; the serial line ends lines with CR LF.
 */
public record ProbeConsole(boolean reachedInit, boolean done, Map<String, String> sections, List<String> errors,
		List<String> startedJobs) {

	public static final String INIT = "VWPROBE-INIT";
	public static final String BEGIN = "VWPROBE-FIO-BEGIN ";
	public static final String END = "VWPROBE-FIO-END ";
	public static final String BENCH_BEGIN = "VWPROBE-BENCH-BEGIN ";
	public static final String BENCH_END = "VWPROBE-BENCH-END ";
	public static final String DONE = "VWPROBE-DONE";
	public static final String ERROR = "VWPROBE-ERROR";

	public ProbeConsole {
		sections = Map.copyOf(sections);
		errors = List.copyOf(errors);
		startedJobs = List.copyOf(startedJobs);
	}

	public static ProbeConsole parse(String log) {
		boolean init = false;
		boolean done = false;
		Map<String, String> json = new LinkedHashMap<>();
		List<String> errors = new ArrayList<>();
		List<String> started = new ArrayList<>();
		String current = null;
		StringBuilder body = new StringBuilder();
		for (String raw : (log == null ? "" : log).split("\n", -1)) {
			String line = raw.replace("\r", "");
			String trimmed = line.strip();
			if (trimmed.equals(INIT)) {
				init = true;
			}
			else if (trimmed.startsWith(BEGIN) || trimmed.startsWith(BENCH_BEGIN)) {
				current = trimmed.substring(trimmed.indexOf("BEGIN ") + 6).strip();
				started.add(current);
				body.setLength(0);
			}
			else if (trimmed.startsWith(END) || trimmed.startsWith(BENCH_END)) {
				String job = trimmed.substring(trimmed.indexOf("END ") + 4).strip();
				if (job.equals(current)) {
					json.put(job, body.toString());
				}
				current = null;
			}
			else if (trimmed.equals(DONE)) {
				done = true;
			}
			else if (trimmed.startsWith(ERROR)) {
				errors.add(trimmed.substring(ERROR.length()).strip());
			}
			else if (current != null) {
				body.append(line).append('\n');
			}
		}
		return new ProbeConsole(init, done, json, errors, started);
	}

	/** The named job's (or job/run's) figures, parsed with the Docker probe's fio parser; it must have run without error. */
	public FioOutput.Job job(String name) {
		String text = sections.get(name);
		if (text == null) {
			throw new ProbeOutputException("the probe guest printed no fio output for " + name);
		}
		// a repeated job's section is job/run; fio itself names the job without the run
		return FioOutput.parse(text).require(name.contains("/") ? name.substring(0, name.indexOf('/')) : name);
	}
}
