package io.virtwise.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Blanks secret values in text before it is shown, exported or written: NAME=value and NAME: value
 * pairs and {@code --name value} flags whose name looks secret (password, passwd, secret, token,
 * api key, credential, private key), bearer tokens, the password of a URL's {@code user:password@},
 * XML attributes such as libvirt's {@code passwd='...'}, and the password options of a few
 * clients after their own name ({@code mysql -pPASS}, {@code redis-cli -a PASS}, {@code curl -u
 * user:PASS}). Names stay, so a reader still sees what was there. One redactor for the facts (a container's command and labels), what the shell
 * shows, and what sessions keep, so the three never disagree.
 */
public final class Redactor {

	public static final String REDACTED = "<redacted>";

	/**
	 * A name that looks secret: password, passwd, secret or credential anywhere in it; token, api key,
	 * private key and redis' requirepass and masterauth only as a whole part of it (GITHUB_TOKEN,
	 * apiToken, --token), so --max-total-tokens and --tokenizer keep their values.
	 */
	private static final String SECRET_NAME = "[A-Za-z0-9_.-]*?(?:(?i:password|passwd|secret|credential)"
			+ "|(?:(?<![A-Za-z0-9])|(?<=[a-z0-9])(?=[A-Z]))(?i:token|api[_-]?key|apikey|private[_-]?key|requirepass|masterauth)"
			+ "(?![a-z0-9]))[A-Za-z0-9_.-]*";

	/** Names of where a secret is, not of the secret: --password-file PATH, TOKEN_LENGTH=32. */
	private static final Pattern NOT_A_VALUE = Pattern.compile("(?i).*[_.-](file|path|stdin|dir|env|name|length|len|size|type|id)");

	private static final Pattern ASSIGNMENT = Pattern.compile("(" + SECRET_NAME + ")(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&}\"'\\\\]+)");

	private static final Pattern JSON_FIELD = Pattern.compile("(\"" + SECRET_NAME + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

	/** {@code --token VALUE}: the value is the next word (or quoted words) unless that is another option. */
	private static final Pattern FLAG_VALUE = Pattern.compile("(?<![\\w-])(--?" + SECRET_NAME + ")(\\s+)(?![-<])(\"[^\"]*\"|'[^']*'|[^\\s,;&}\"'\\\\]+)");

	private static final Pattern SECRET_FLAG = Pattern.compile("--?" + SECRET_NAME);

	/** An Authorization header's credentials, and a bearer token standing alone (one with a digit, not "the bearer of"). */
	private static final Pattern AUTHORIZATION = Pattern.compile("(?i)(authorization:\\s*(?:bearer|basic)\\s+)(?!<)([A-Za-z0-9._~+/=-]+)"
			+ "|\\b(bearer\\s+)(?!<)(?=[A-Za-z._~+/=-]*[0-9])([A-Za-z0-9._~+/=-]+)");

	/** A URL's password: scheme://user:PASSWORD@host, also with no user (redis://:PASSWORD@host). */
	private static final Pattern URL_PASSWORD = Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@\"'\\\\]*:)(?!<)([^\\s@/\"'\\\\]+)(@)");

	/**
	 * Password options of common clients, which are short flags that mean other things elsewhere
	 * ({@code -p} is a port to ssh, {@code -u 1000:1000} a user to docker), so they are redacted only
	 * after the client's own name in the same command: {@code mysql -pPASS} (attached only: {@code -p
	 * db} asks for the password and names a database), {@code redis-cli -a PASS} and {@code curl -u
	 * user:PASS}, whose user stays unless the password is empty ({@code -u sk_live_KEY:}, an API key).
	 * Between the name and the flag: a few hundred characters of the same command, quoted parts
	 * whole, so that a client inside a quoted health check does not reach a later {@code --user}.
	 */
	private static final String CLIENT_WORD_END = "(?=[\\s\"']|$)";
	private static final String SAME_COMMAND = "(?:'[^'\\n]*'|\"[^\"\\n]*\"|[^;&|\\n'\"]){0,400}?\\s";
	/** A value, quoted or not: -p'S3cret', -a "pw", -pS3cret. */
	private static final String VALUE = "(?!<|'<|\"<)('[^'\\n]*'|\"[^\"\\n]*\"|[^\\s\"';&|\\\\]+)";
	private static final String MYSQL_CLIENTS = "mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mariadb|mariadb-dump|mariadb-admin";
	private static final Pattern MYSQL_PASSWORD = Pattern.compile("((?<![\\w-])(?:" + MYSQL_CLIENTS + ")" + CLIENT_WORD_END
			+ SAME_COMMAND + "-p)" + VALUE);
	private static final Pattern REDIS_PASSWORD = Pattern.compile("((?<![\\w-])redis-cli" + CLIENT_WORD_END + SAME_COMMAND
			+ "(?:-a|--pass)\\s+)(?!-)" + VALUE);
	/** Groups: the command up to the credentials (and an opening quote), the user, the password (may be empty). */
	private static final Pattern CURL_PASSWORD = Pattern.compile("((?<![\\w-])curl" + CLIENT_WORD_END + SAME_COMMAND
			+ "(?:-u|-U|--user|--proxy-user)(?:\\s+|=)?[\"']?)(?!<)([^\\s:\"'<]*):(?!<)([^\\s\"';&|\\\\]*)");

	private Redactor() {
	}

	public static String redact(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String out = replace(JSON_FIELD.matcher(text), m -> m.group(1) + "\"" + REDACTED + "\"");
		out = replace(AUTHORIZATION.matcher(out), m -> (m.group(1) != null ? m.group(1) : m.group(3)) + REDACTED);
		out = replace(URL_PASSWORD.matcher(out), m -> m.group(1) + REDACTED + m.group(3));
		for (Pattern client : List.of(MYSQL_PASSWORD, REDIS_PASSWORD)) {
			// one flag per match: a command naming its password twice goes round again
			for (String before = null; !out.equals(before);) {
				before = out;
				out = replace(client.matcher(out), m -> m.group(1) + quoteLike(m.group(2)));
			}
		}
		for (String before = null; !out.equals(before);) {
			before = out;
			out = replace(CURL_PASSWORD.matcher(out), m -> m.group(3).isEmpty() ? m.group(1) + REDACTED + ":"
					: m.group(1) + m.group(2) + ":" + REDACTED);
		}
		out = replace(FLAG_VALUE.matcher(out), m -> NOT_A_VALUE.matcher(m.group(1)).matches() || isRedacted(m.group(3)) ? m.group()
				: m.group(1) + m.group(2) + quoteLike(m.group(3)));
		return replace(ASSIGNMENT.matcher(out), m -> NOT_A_VALUE.matcher(m.group(1)).matches() || isRedacted(m.group(3)) ? m.group()
				: m.group(1) + m.group(2) + quoteLike(m.group(3)));
	}

	private static final Pattern SECRET_FIELD = Pattern.compile(SECRET_NAME);

	/**
	 * A JSON tree with every string in it redacted as text and the string value of a field whose
	 * name looks secret blanked; in place. For JSON Lines, where redacting the serialised line would
	 * read its escaped newlines and its neighbouring fields as one command.
	 */
	public static JsonNode redactJson(JsonNode node) {
		if (node instanceof ObjectNode object) {
			for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
				String name = field.getKey();
				JsonNode value = field.getValue();
				if (value.isTextual()) {
					object.put(name, SECRET_FIELD.matcher(name).matches() ? REDACTED : redact(value.asText()));
				}
				else {
					redactJson(value);
				}
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				if (array.get(i).isTextual()) {
					array.set(i, TextNode.valueOf(redact(array.get(i).asText())));
				}
				else {
					redactJson(array.get(i));
				}
			}
		}
		return node;
	}

	private static boolean isRedacted(String value) {
		return value.equals(REDACTED) || value.equals("\"" + REDACTED + "\"") || value.equals("'" + REDACTED + "'");
	}

	/**
	 * A command's arguments, each redacted as text (a {@code sh -c} script too), the argument after
	 * a secret-looking option without {@code =} ({@code --token VALUE}) blanked, and a client's
	 * password option ({@link #MYSQL_PASSWORD}) where the client is among them.
	 */
	public static List<String> redactArgs(List<String> args) {
		return redactArgs(null, args);
	}

	/**
	 * As {@link #redactArgs(List)}, for the arguments of {@code program} (an entrypoint: {@code
	 * --entrypoint redis-cli IMAGE -a PASS}), which is not among them.
	 */
	public static List<String> redactArgs(String program, List<String> args) {
		List<String> out = new ArrayList<>(args.size());
		String programName = program == null ? "" : program.substring(program.lastIndexOf('/') + 1);
		String client = CLIENTS.matcher(programName).matches() ? programName : "";
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			String previous = i > 0 ? args.get(i - 1) : "";
			boolean valueOfSecretFlag = SECRET_FLAG.matcher(previous).matches() && !NOT_A_VALUE.matcher(previous).matches()
					&& !arg.startsWith("-");
			String name = arg.substring(arg.lastIndexOf('/') + 1);
			if (client.isEmpty() && CLIENTS.matcher(name).matches()) {
				client = name;
			}
			out.add(valueOfSecretFlag ? REDACTED : clientPassword(client, previous, arg));
		}
		return out;
	}

	private static final Pattern CLIENTS = Pattern.compile(MYSQL_CLIENTS + "|redis-cli|curl");

	/** One argument of a known client's command line (see {@link #MYSQL_PASSWORD}); others as text. */
	private static String clientPassword(String client, String previous, String arg) {
		if (client.equals("redis-cli") && (previous.equals("-a") || previous.equals("--pass")) && !arg.startsWith("-")) {
			return REDACTED;
		}
		if (client.equals("curl") && List.of("-u", "-U", "--user", "--proxy-user").contains(previous) && arg.contains(":")) {
			int colon = arg.indexOf(':');
			// user:password keeps the user; KEY: (an API key as the user, no password) loses the key
			return colon == arg.length() - 1 ? REDACTED + ":" : arg.substring(0, colon + 1) + REDACTED;
		}
		// the client's own word before the argument lets the text rules see the flag in context
		return client.isEmpty() ? redact(arg) : redact(client + " " + arg).substring(client.length() + 1);
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
