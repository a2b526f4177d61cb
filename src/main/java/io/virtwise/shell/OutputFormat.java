package io.virtwise.shell;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The output formats a command may offer; each command says which it supports. */
public enum OutputFormat {
	TEXT, JSON, MARKDOWN;

	public static OutputFormat parse(String text, OutputFormat... allowed) {
		String wanted = text == null || text.isBlank() ? "text" : text.trim().toLowerCase(Locale.ROOT);
		for (OutputFormat format : allowed) {
			if (format.name().toLowerCase(Locale.ROOT).equals(wanted)) {
				return format;
			}
		}
		throw VirtwiseException.usage("unknown format '" + text + "'; use one of "
				+ Arrays.stream(allowed).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
	}
}
