package io.virtwise.session;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.virtwise.facts.Facts;

/**
 * One line of a session journal. {@code type} is {@code header} (first line: format, tool version,
 * rule-base hash, host), {@code command} (one per command run) or {@code name} (session save).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionEntry(
		String type,
		Integer format,
		String tool,
		String rulesHash,
		String host,
		String at,
		Integer seq,
		String line,
		Integer exit,
		Long millis,
		String output,
		Facts facts,
		List<String> recommendations,
		String name) {

	public static final int FORMAT = 1;

	public static SessionEntry header(String tool, String rulesHash, String host, String at) {
		return new SessionEntry("header", FORMAT, tool, rulesHash, host, at, null, null, null, null, null, null, null, null);
	}

	public static SessionEntry command(int seq, String at, String line, int exit, long millis, String output, Facts facts,
			List<String> recommendations) {
		return new SessionEntry("command", null, null, null, null, at, seq, line, exit, millis, output, facts,
				recommendations == null || recommendations.isEmpty() ? null : recommendations, null);
	}

	public static SessionEntry named(String name, String at) {
		return new SessionEntry("name", null, null, null, null, at, null, null, null, null, null, null, null, name);
	}
}
