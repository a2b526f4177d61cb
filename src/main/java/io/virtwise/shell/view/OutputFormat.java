package io.virtwise.shell.view;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.virtwise.facts.FactsJson;
import io.virtwise.redact.Redactor;

/**
 * The output formats a command may offer; each command says which it supports. Every data command
 * takes {@code --format} with one of the descriptions below, which help and Tab completion read
 * the choices from, and writes JSON through {@link #json} only, so there is one JSON style: the
 * facts mapper's camelCase names, numbers as numbers with the unit in the name, unknown as null
 * or left out, never 0.
 */
public enum OutputFormat {
	TEXT, JSON, MARKDOWN, HTML;

	/** The {@code --format} option's description where a command offers text and JSON. */
	public static final String TEXT_OR_JSON = "text or json";

	/** ... and Markdown, where a table reads well. */
	public static final String TEXT_JSON_OR_MARKDOWN = "text, json or markdown";

	public static OutputFormat parse(String text, OutputFormat... allowed) {
		String wanted = text == null || text.isBlank() ? "text" : text.trim().toLowerCase(Locale.ROOT);
		for (OutputFormat format : allowed) {
			if (format.name().toLowerCase(Locale.ROOT).equals(wanted)) {
				return format;
			}
		}
		throw new IllegalArgumentException("unknown format '" + text + "'; use one of "
				+ Arrays.stream(allowed).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
	}

	/**
	 * The one JSON document a command prints, through the redactor as a whole: most of it was
	 * redacted where it was read, and what was not (a session file's header, a rule's name) is here.
	 */
	public static String json(Object value) {
		try {
			return FactsJson.MAPPER.writeValueAsString(Redactor.redactJson(FactsJson.MAPPER.valueToTree(value)));
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("output could not be written as JSON", e);
		}
	}
}
