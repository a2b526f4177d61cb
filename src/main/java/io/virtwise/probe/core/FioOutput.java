package io.virtwise.probe.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;

/** The jobs of one {@code fio --output-format=json} run (fio 3.x). */
public record FioOutput(String version, List<Job> jobs) {

	/**
	 * One job: IOPS and bandwidth per direction, fio's own error number (0 when fine) and how
	 * long the job ran.
	 */
	public record Job(String name, int error, double readIops, double writeIops, double readBytesPerSecond,
			double writeBytesPerSecond, long runtimeMs) {
	}

	public FioOutput {
		jobs = List.copyOf(jobs);
	}

	public Optional<Job> job(String name) {
		return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
	}

	/** The job of that name, which must have run without error. */
	public Job require(String name) {
		Job job = job(name).orElseThrow(() -> new ProbeOutputException("fio ran no job named " + name));
		if (job.error() != 0) {
			throw new ProbeOutputException("fio job " + name + " failed with error " + job.error());
		}
		return job;
	}

	public static FioOutput parse(String json) {
		String text = json == null ? "" : json;
		int start = text.indexOf('{');
		if (start < 0) {
			throw new ProbeOutputException("fio printed no JSON" + (text.isBlank() ? "" : ": " + text.strip().lines().findFirst().orElse("")));
		}
		JsonNode root;
		try {
			// fio may print notes before its JSON document
			root = FactsJson.MAPPER.readTree(text.substring(start));
		}
		catch (JsonProcessingException e) {
			throw new ProbeOutputException("fio printed malformed JSON: " + e.getOriginalMessage(), e);
		}
		List<Job> jobs = new ArrayList<>();
		for (JsonNode job : root.path("jobs")) {
			JsonNode read = job.path("read");
			JsonNode write = job.path("write");
			jobs.add(new Job(job.path("jobname").asText(), job.path("error").asInt(), read.path("iops").asDouble(),
					write.path("iops").asDouble(), read.path("bw_bytes").asDouble(), write.path("bw_bytes").asDouble(),
					job.path("job_runtime").asLong()));
		}
		if (jobs.isEmpty()) {
			throw new ProbeOutputException("fio reported no jobs");
		}
		return new FioOutput(root.path("fio version").asText(null), jobs);
	}
}
