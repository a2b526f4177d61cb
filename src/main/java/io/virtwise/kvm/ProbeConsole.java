package io.virtwise.kvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.virtwise.probe.FioOutput;
import io.virtwise.probe.ProbeOutputException;

/**
 * What the probe guest printed on its serial console (see scripts/build-probe-guest): a
 * {@code VWPROBE-INIT} line once its /init runs, each fio job's JSON between
 * {@code VWPROBE-FIO-BEGIN job} and {@code VWPROBE-FIO-END job}, {@code VWPROBE-DONE} at the end.
 * Kernel messages may be mixed in; the serial line ends lines with CR LF.
 */
public record ProbeConsole(boolean reachedInit, boolean done, Map<String, String> fioJson, List<String> errors,
		List<String> startedJobs) {

	public static final String INIT = "VWPROBE-INIT";
	public static final String BEGIN = "VWPROBE-FIO-BEGIN ";
	public static final String END = "VWPROBE-FIO-END ";
	public static final String DONE = "VWPROBE-DONE";
	public static final String ERROR = "VWPROBE-ERROR";

	public ProbeConsole {
		fioJson = Map.copyOf(fioJson);
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
			else if (trimmed.startsWith(BEGIN)) {
				current = trimmed.substring(BEGIN.length()).strip();
				started.add(current);
				body.setLength(0);
			}
			else if (trimmed.startsWith(END)) {
				String job = trimmed.substring(END.length()).strip();
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

	/** The named job's figures, parsed with the Docker probe's fio parser; it must have run without error. */
	public FioOutput.Job job(String name) {
		String text = fioJson.get(name);
		if (text == null) {
			throw new ProbeOutputException("the probe guest printed no fio output for " + name);
		}
		return FioOutput.parse(text).require(name);
	}
}
