package io.virtwise.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blanks secret values in text before it is shown, exported or written: NAME=value and NAME: value
 * pairs and {@code --name value} flags whose name looks secret (password, passwd, secret, token,
 * api key, credential, private key), bearer tokens, the password of a URL's {@code user:password@},
 * and XML attributes such as libvirt's {@code passwd='...'}. Names stay, so a reader still sees
 * what was there. One redactor for the facts (a container's command and labels), what the shell
 * shows, and what sessions keep, so the three never disagree.
 */
public final class Redactor {

	public static final String REDACTED = "<redacted>";

	private static final String SECRET_NAME = "[A-Za-z0-9_.-]*(?i:password|passwd|secret|token|api[_-]?key|credential|private[_-]?key)[A-Za-z0-9_.-]*";

	private static final Pattern ASSIGNMENT = Pattern.compile("(" + SECRET_NAME + ")(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&}\"'\\\\]+)");

	private static final Pattern JSON_FIELD = Pattern.compile("(\"" + SECRET_NAME + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

	/** {@code --token VALUE}: the value is the next word unless that is another option. */
	private static final Pattern FLAG_VALUE = Pattern.compile("(?<![\\w-])(--?" + SECRET_NAME + ")(\\s+)(?![-<])([^\\s,;&}\"'\\\\]+)");

	private static final Pattern SECRET_FLAG = Pattern.compile("--?" + SECRET_NAME);

	private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)(?!<)([A-Za-z0-9._~+/=-]+)");

	private static final Pattern URL_PASSWORD = Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@\"'\\\\]+:)(?!<)([^\\s@/\"'\\\\]+)(@)");

	private Redactor() {
	}

	public static String redact(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String out = replace(JSON_FIELD.matcher(text), m -> m.group(1) + "\"" + REDACTED + "\"");
		out = replace(BEARER.matcher(out), m -> m.group(1) + REDACTED);
		out = replace(URL_PASSWORD.matcher(out), m -> m.group(1) + REDACTED + m.group(3));
		out = replace(FLAG_VALUE.matcher(out), m -> m.group(1) + m.group(2) + REDACTED);
		return replace(ASSIGNMENT.matcher(out), m -> m.group(3).equals(REDACTED) || m.group(3).equals("\"" + REDACTED + "\"")
				|| m.group(3).equals("'" + REDACTED + "'") ? m.group() : m.group(1) + m.group(2) + quoteLike(m.group(3)));
	}

	/**
	 * A command's arguments, each redacted as text (a {@code sh -c} script too), and the argument
	 * after a secret-looking option without {@code =} ({@code --token VALUE}) blanked.
	 */
	public static List<String> redactArgs(List<String> args) {
		List<String> out = new ArrayList<>(args.size());
		for (int i = 0; i < args.size(); i++) {
			boolean valueOfSecretFlag = i > 0 && SECRET_FLAG.matcher(args.get(i - 1)).matches() && !args.get(i).startsWith("-");
			out.add(valueOfSecretFlag ? REDACTED : redact(args.get(i)));
		}
		return out;
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

	private static String replace(Matcher matcher, Function<Matcher, String> replacement) {
		StringBuilder out = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
		}
		matcher.appendTail(out);
		return out.toString();
	}
}
