package io.virtwise.advice;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How much a finding costs, ordered from least to most. */
public enum Severity {
	INFO, LOW, MEDIUM, HIGH, CRITICAL;

	public static Severity parse(String text) {
		try {
			return valueOf(text.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException | NullPointerException e) {
			throw new IllegalArgumentException("unknown severity '" + text + "' (expected one of "
					+ Arrays.stream(values()).map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ")");
		}
	}

	public boolean atLeast(Severity other) {
		return compareTo(other) >= 0;
	}
}
