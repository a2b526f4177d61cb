package io.virtwise.session;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blanks secret values in text before it is shown or written: NAME=value pairs whose name looks
 * secret (password, passwd, secret, token, api key, credential, private key), and XML attributes
 * such as libvirt's {@code passwd='...'}. Names stay, so a reader still sees what was there.
 */
public final class Redactor {

	public static final String REDACTED = "<redacted>";

	private static final String SECRET_NAME = "[A-Za-z0-9_.-]*(?i:password|passwd|secret|token|api[_-]?key|credential|private[_-]?key)[A-Za-z0-9_.-]*";

	private static final Pattern ASSIGNMENT = Pattern.compile("(" + SECRET_NAME + ")(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&}\"'\\\\]+)");

	private static final Pattern JSON_FIELD = Pattern.compile("(\"" + SECRET_NAME + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

	private Redactor() {
	}

	public static String redact(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String out = replace(JSON_FIELD.matcher(text), m -> m.group(1) + "\"" + REDACTED + "\"");
		return replace(ASSIGNMENT.matcher(out), m -> m.group(3).equals(REDACTED) || m.group(3).equals("\"" + REDACTED + "\"")
				|| m.group(3).equals("'" + REDACTED + "'") ? m.group() : m.group(1) + m.group(2) + quoteLike(m.group(3)));
	}

	private static String quoteLike(String original) {
		if (original.startsWith("\"")) {
			return "\"" + REDACTED + "\"";
		}
		if (original.startsWith("'")) {
			return "'" + REDACTED + "'";
		}
		return REDACTED;
	}

	private static String replace(Matcher matcher, java.util.function.Function<Matcher, String> replacement) {
		StringBuilder out = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
		}
		matcher.appendTail(out);
		return out.toString();
	}
}
