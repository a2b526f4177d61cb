package io.virtwise.redact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The one redactor for everything virtwise shows, exports, records or reads back: facts, the
 * screen, {@code facts export}, session files, error lines and the shell's history. It blanks
 * recognised secrets and keeps their names, so a reader still sees what was there:
 * <ul>
 * <li>values under secret-looking names ({@link SecretName}): {@code NAME=value}, {@code NAME: value},
 * JSON and Python dict fields, XML attributes, {@code --name=value} and {@code --name value};</li>
 * <li>URL userinfo, Authorization and Cookie headers, systemd credentials, clients' own password
 * options ({@code mysql -pX}, {@code sshpass -p X}, {@code curl -u user:X}, {@code smbclient -U
 * user%X}, {@code ldapsearch -w X}, {@code openssl -pass pass:X} ...);</li>
 * <li>well-known token formats, PEM private keys and crypt hashes wherever they stand.</li>
 * </ul>
 * Every pass reads each character a bounded number of times, so the work is linear in the text,
 * and a line longer than {@link #MAX_LINE} is cut with a marker saying how much went.
 */
public final class Redactor {

	public static final String REDACTED = "<redacted>";

	/** The marker inside XML, where {@code <} would break the document. */
	public static final String XML_REDACTED = "(redacted)";

	/** Longest line kept: the docker CLI's own line limit for env and label files. */
	public static final int MAX_LINE = 64 * 1024;

	private Redactor() {
	}

	public static String redact(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String bounded = bounded(text);
		Spans spans = new Spans();
		TextScanner.scan(bounded, spans);
		ShellWords.scan(bounded, spans);
		return spans.apply(bounded, REDACTED);
	}

	/** Lines longer than {@link #MAX_LINE} cut there, with a marker: nothing past the bound is shown or kept. */
	static String bounded(String text) {
		if (text.length() <= MAX_LINE) {
			return text;
		}
		StringBuilder out = null;
		int lineStart = 0;
		int n = text.length();
		while (lineStart < n) {
			int lineEnd = text.indexOf('\n', lineStart);
			lineEnd = lineEnd < 0 ? n : lineEnd;
			if (lineEnd - lineStart > MAX_LINE) {
				if (out == null) {
					out = new StringBuilder(text.length()).append(text, 0, lineStart);
				}
				out.append(text, lineStart, lineStart + MAX_LINE).append(" <cut: ").append(lineEnd - lineStart - MAX_LINE)
					.append(" more characters>");
			}
			else if (out != null) {
				out.append(text, lineStart, lineEnd);
			}
			if (lineEnd < n && out != null) {
				out.append('\n');
			}
			lineStart = lineEnd + 1;
		}
		return out == null ? text : out.toString();
	}

	/**
	 * A command's arguments: the argument after a secret-looking option blanked ({@code --token
	 * VALUE}, also when it starts with a dash after a password option), a client's password options
	 * where the client is among them, and each argument redacted as text ({@code sh -c} scripts).
	 */
	public static List<String> redactArgs(List<String> args) {
		return redactArgs(null, args);
	}

	/** As {@link #redactArgs(List)}, for the arguments of {@code program} (an entrypoint), which is not among them. */
	public static List<String> redactArgs(String program, List<String> args) {
		CommandState state = new CommandState(true);
		state.program(program);
		List<String> out = new ArrayList<>(args.size());
		for (String arg : args) {
			if (arg == null) {
				out.add(null);
				continue;
			}
			String bounded = bounded(arg);
			Spans spans = new Spans();
			if (!state.word(bounded, 0, bounded.length(), spans::add)) {
				TextScanner.scan(bounded, spans);
				ShellWords.scan(bounded, spans);
			}
			out.add(spans.apply(bounded, REDACTED));
		}
		return out;
	}

	/** A value under a key (a label, a log option, a JSON field): all of it when the key says so, else as text. */
	public static String redactValue(String key, String value) {
		if (value == null) {
			return null;
		}
		SecretName kind = SecretName.of(key);
		if (kind.always() && !value.isEmpty() || kind == SecretName.WEAK && SecretName.looksRandom(value, 0, value.length())) {
			return REDACTED;
		}
		return redact(value);
	}

	/** Each value redacted under its key, in the same order. */
	public static Map<String, String> redactValues(Map<String, String> values) {
		Map<String, String> out = new LinkedHashMap<>();
		// a key may hold a secret too (a label auth.ghp_TOKEN): keys go through as text
		values.forEach((k, v) -> out.put(redactKey(k), redactValue(k, v)));
		return out;
	}

	/** A key (a label's, a JSON field's) as text, and each of its dotted or slashed parts that is a known token blanked. */
	static String redactKey(String key) {
		if (key == null || key.isEmpty()) {
			return key;
		}
		String text = redact(key);
		StringBuilder out = new StringBuilder(text.length());
		int start = 0;
		for (int i = 0; i <= text.length(); i++) {
			if (i == text.length() || ".:/@".indexOf(text.charAt(i)) >= 0) {
				out.append(KnownTokens.isToken(text, start, i) ? REDACTED : text.substring(start, i));
				if (i < text.length()) {
					out.append(text.charAt(i));
				}
				start = i + 1;
			}
		}
		return out.toString();
	}

	/** Whether a key names a secret (its value goes whatever it is). */
	public static boolean looksSecret(String key) {
		return SecretName.of(key).always();
	}

	/**
	 * A JSON tree redacted in place: a string under a secret-looking field blanked, other strings as
	 * text (domain XML as XML), and an array of strings as one command's arguments, so that
	 * {@code ["CMD", "app", "--password", "x"]} loses x.
	 */
	public static JsonNode redactJson(JsonNode node) {
		if (node instanceof ObjectNode object) {
			for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
				JsonNode value = field.getValue();
				String key = redactKey(field.getKey());
				if (!key.equals(field.getKey())) {
					// a field name holding a secret (a label key): renamed to its redacted form
					object.remove(field.getKey());
					object.set(key, value);
				}
				if (value.isTextual()) {
					object.put(key, redactField(field.getKey(), value.asText()));
				}
				else {
					redactJson(value);
				}
			}
		}
		else if (node instanceof ArrayNode array) {
			List<String> strings = new ArrayList<>();
			for (JsonNode element : array) {
				strings.add(element.isTextual() ? element.asText() : null);
			}
			List<String> redacted = redactArgs(strings);
			for (int i = 0; i < array.size(); i++) {
				if (array.get(i).isTextual()) {
					array.set(i, TextNode.valueOf(redacted.get(i)));
				}
				else {
					redactJson(array.get(i));
				}
			}
		}
		return node;
	}

	private static String redactField(String name, String value) {
		if (value.stripLeading().startsWith("<domain")) {
			return redactXml(value);
		}
		return redactValue(name, value);
	}

	/**
	 * Domain XML with its secrets replaced by {@value #XML_REDACTED}, before anything else reads it:
	 * what the text passes find, and the places only XML has ({@link XmlSecrets}).
	 */
	public static String redactXml(String xml) {
		if (xml == null || xml.isEmpty()) {
			return xml;
		}
		return xmlSpans(xml).apply(xml, XML_REDACTED);
	}

	private static Spans xmlSpans(String xml) {
		Spans spans = new Spans();
		TextScanner.scan(xml, spans);
		ShellWords.scan(xml, spans);
		XmlSecrets.scan(xml, spans);
		return spans;
	}

	/**
	 * The secrets that {@link #redactXml} blanked in an edited copy put back from {@code original}
	 * in document order, so a domain edited from redacted facts keeps its real secrets when defined.
	 * Each comes back escaped for XML, whatever quotes its new place has.
	 *
	 * @throws IllegalArgumentException when the edited copy does not hold as many blanks as the original has secrets
	 */
	public static String restoreXmlSecrets(String redacted, String original) {
		int[] secrets = xmlSpans(original).merged();
		List<String> values = new ArrayList<>();
		int at = 0;
		for (int i = 0; i < secrets.length; i += 2) {
			// a marker that the original already held counts as one more place, given back as it was
			addMarkers(original, at, secrets[i], values);
			values.add(escapeXml(unescapeXml(original.substring(secrets[i], secrets[i + 1]))));
			at = secrets[i + 1];
		}
		addMarkers(original, at, original.length(), values);
		List<Integer> places = new ArrayList<>();
		for (int i = redacted.indexOf(XML_REDACTED); i >= 0; i = redacted.indexOf(XML_REDACTED, i + XML_REDACTED.length())) {
			places.add(i);
		}
		if (places.size() < values.size()) {
			throw new IllegalArgumentException("the edited XML lost " + (values.size() - places.size())
					+ " secret(s) of the original");
		}
		if (places.size() > values.size()) {
			throw new IllegalArgumentException("the edited XML's secrets do not match the original's ("
					+ (places.size() - values.size()) + " more than the original has)");
		}
		StringBuilder out = new StringBuilder(redacted.length());
		int from = 0;
		for (int i = 0; i < places.size(); i++) {
			out.append(redacted, from, places.get(i)).append(values.get(i));
			from = places.get(i) + XML_REDACTED.length();
		}
		return out.append(redacted, from, redacted.length()).toString();
	}

	private static void addMarkers(String text, int from, int to, List<String> values) {
		for (int i = text.indexOf(XML_REDACTED, from); i >= 0 && i + XML_REDACTED.length() <= to;
				i = text.indexOf(XML_REDACTED, i + XML_REDACTED.length())) {
			values.add(XML_REDACTED);
		}
	}

	private static String unescapeXml(String text) {
		if (text.indexOf('&') < 0) {
			return text;
		}
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			int semi = c == '&' ? CommandState.indexOf(text, ';', i, Math.min(text.length(), i + 11)) : -1;
			if (semi > i && semi - i <= 10) {
				String entity = text.substring(i + 1, semi);
				String decoded = switch (entity) {
					case "amp" -> "&";
					case "lt" -> "<";
					case "gt" -> ">";
					case "apos" -> "'";
					case "quot" -> "\"";
					default -> entity.startsWith("#x") ? codePoint(entity.substring(2), 16)
							: entity.startsWith("#") ? codePoint(entity.substring(1), 10) : null;
				};
				if (decoded != null) {
					out.append(decoded);
					i = semi;
					continue;
				}
			}
			out.append(c);
		}
		return out.toString();
	}

	private static String codePoint(String digits, int radix) {
		try {
			return new String(Character.toChars(Integer.parseInt(digits, radix)));
		}
		catch (IllegalArgumentException e) {
			return null;
		}
	}

	private static String escapeXml(String text) {
		StringBuilder out = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> out.append("&amp;");
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '\'' -> out.append("&apos;");
				case '"' -> out.append("&quot;");
				default -> out.append(c);
			}
		}
		return out.toString();
	}

	/** Whether a marker (either one) starts at {@code at}: already redacted, nothing to do. */
	static boolean isMarkerAt(CharSequence text, int at) {
		return startsWith(text, at, REDACTED) || startsWith(text, at, XML_REDACTED);
	}

	private static boolean startsWith(CharSequence text, int at, String marker) {
		if (at < 0 || text.length() - at < marker.length()) {
			return false;
		}
		for (int i = 0; i < marker.length(); i++) {
			if (text.charAt(at + i) != marker.charAt(i)) {
				return false;
			}
		}
		return true;
	}
}
