package io.virtwise.docker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.virtwise.facts.Redactor;

/**
 * Keeps secrets out of facts, output and logs: environment values are never read into facts at
 * all, and label values whose key looks like a credential are replaced.
 */
public final class SecretRedaction {

	public static final String REDACTED = Redactor.REDACTED;

	/** The words that make a name look like a credential, also for libvirt XML (DomainXml). */
	public static final String SECRET_WORDS = "password|passwd|secret|token|key|credential";

	private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(" + SECRET_WORDS + ").*");

	private SecretRedaction() {
	}

	public static boolean looksSecret(String key) {
		return key != null && SECRET_KEY.matcher(key).matches();
	}

	/** Labels with the values of secret-looking keys replaced by {@value #REDACTED}, and secrets inside the others. */
	public static Map<String, String> labels(Map<String, String> labels) {
		Map<String, String> out = new LinkedHashMap<>();
		labels.forEach((k, v) -> out.put(k, labelValue(k, v)));
		return out;
	}

	/** A label's value as facts keep it: all of it for a secret-looking key, else a URL's password and the like. */
	public static String labelValue(String key, String value) {
		return looksSecret(key) ? REDACTED : Redactor.redact(value);
	}

	/** The name of a {@code NAME=value} environment entry; the value is dropped here, never kept. */
	public static String envName(String entry) {
		int eq = entry.indexOf('=');
		return eq < 0 ? entry : entry.substring(0, eq);
	}
}
