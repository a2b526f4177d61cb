package io.virtwise.docker.inspect;

import java.util.Map;

import io.virtwise.redact.Redactor;

/**
 * Keeps secrets out of Docker facts, output and logs: environment values are never read into
 * facts at all, and label and log option values go through the one {@link Redactor}.
 */
public final class SecretRedaction {

	public static final String REDACTED = Redactor.REDACTED;

	private SecretRedaction() {
	}

	public static boolean looksSecret(String key) {
		return Redactor.looksSecret(key);
	}

	/** Labels with the values of secret-looking keys replaced by {@value #REDACTED}, and secrets inside the others. */
	public static Map<String, String> labels(Map<String, String> labels) {
		return Redactor.redactValues(labels);
	}

	/** A label's (or log option's) value as facts keep it. */
	public static String labelValue(String key, String value) {
		return Redactor.redactValue(key, value);
	}

	/** The name of a {@code NAME=value} environment entry; the value is dropped here, never kept. */
	public static String envName(String entry) {
		int eq = entry.indexOf('=');
		return eq < 0 ? entry : entry.substring(0, eq);
	}
}
