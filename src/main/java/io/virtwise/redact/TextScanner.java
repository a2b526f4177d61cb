package io.virtwise.redact;

import java.util.Locale;

/**
 * The first pass over a text, one character at a time and never back further than the run it is
 * in, so its work is linear in the text: NAME=value and NAME: value with a secret-looking NAME (also
 * quoted, as in JSON, Python and XML), URL userinfo, Authorization and Cookie headers, systemd
 * credentials, well-known token formats, PEM private keys and crypt hashes. Options followed by
 * their value ({@code --token VALUE}) and clients' own password options are {@link ShellWords}'.
 */
final class TextScanner {

	private final String text;
	private final int n;
	private final Spans spans;

	private TextScanner(String text, Spans spans) {
		this.text = text;
		this.n = text.length();
		this.spans = spans;
	}

	static void scan(String text, Spans spans) {
		new TextScanner(text, spans).run();
	}

	static boolean isRunChar(char c) {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-';
	}

	private void run() {
		int i = 0;
		while (i < n) {
			char c = text.charAt(i);
			if (isRunChar(c)) {
				int end = i + 1;
				while (end < n && isRunChar(text.charAt(end))) {
					end++;
				}
				i = Math.max(end, onRun(i, end));
			}
			else if (c == '$') {
				i = Math.max(i + 1, cryptHash(i));
			}
			else if (c == '{' && (text.startsWith("{SHA}", i) || text.startsWith("{SSHA}", i))) {
				int start = text.indexOf('}', i) + 1;
				int end = valueEnd(start);
				spans.add(start, end);
				i = Math.max(i + 1, end);
			}
			else {
				i++;
			}
		}
	}

	/** A run of word characters {@code [start, end)}: returns where scanning goes on. */
	private int onRun(int start, int end) {
		if (KnownTokens.isToken(text, start, end)) {
			spans.add(start, end);
			return end;
		}
		if (text.startsWith("-----BEGIN", start)) {
			return pem(end);
		}
		if (text.startsWith("://", end) && Character.isLetter(text.charAt(start))) {
			url(end + 3);
			return end + 3;
		}
		int length = end - start;
		if (length >= 6 && length <= 13 && equalsIgnoreCase(start, end, "bearer")) {
			return bearer(end);
		}
		if (text.startsWith("io.systemd.credential", start) && end < n && text.charAt(end) == ':') {
			return systemdCredential(end + 1);
		}
		int afterQuote = closingQuote(end);
		int at = skipBlanks(afterQuote);
		if (at >= n) {
			return end;
		}
		char sep = text.charAt(at);
		if (sep == ',' && afterQuote > end && text.charAt(start) == '-') {
			return listedOptionValue(start, end, skipBlanks(at + 1));
		}
		if (sep == ':' && !text.startsWith("://", at) && !text.startsWith("::", at)) {
			if (equalsIgnoreCase(start, end, "authorization") || equalsIgnoreCase(start, end, "proxy-authorization")) {
				return authorization(skipBlanks(at + 1));
			}
			if (equalsIgnoreCase(start, end, "cookie") || equalsIgnoreCase(start, end, "set-cookie")) {
				return cookie(skipBlanks(at + 1));
			}
			// NAME := VALUE as well as NAME: VALUE
			return assignment(start, end, skipBlanks(text.startsWith(":=", at) ? at + 2 : at + 1));
		}
		if (sep == '=' && !text.startsWith("==", at)) {
			int value = text.startsWith("=>", at) ? at + 2 : at + 1;
			if (equalsIgnoreCase(start, end, "authorization") || equalsIgnoreCase(start, end, "proxy-authorization")) {
				return authorization(skipBlanks(value));
			}
			return assignment(start, end, skipBlanks(value));
		}
		return end;
	}

	/** An exec-form argument list as text, {@code ["app", "--password", "VALUE"]}: the quoted item after a secret option. */
	private int listedOptionValue(int start, int end, int value) {
		if (value >= n || text.charAt(value) != '"' && text.charAt(value) != '\'' || !SecretName.of(text, start, end).always()) {
			return end;
		}
		int[] v = value(value);
		if (v == null) {
			return end;
		}
		spans.add(v[0], v[1]);
		return v[2];
	}

	/** The value at {@code value} of the name {@code [start, end)}, blanked when the name says so. */
	private int assignment(int start, int end, int value) {
		SecretName kind = SecretName.of(text, start, end);
		if (kind == SecretName.NONE || value >= n) {
			return end;
		}
		int[] v = value(value);
		if (v == null) {
			return end;
		}
		if ((kind.always() || SecretName.looksRandom(text, v[0], v[1])) && !isVariable(v[0], v[1]) && !isWorkingDirectory(start, end, v[0])) {
			spans.add(v[0], v[1]);
		}
		// past the value either way, so that no quote is searched for twice
		return v[2];
	}

	/**
	 * The value starting at {@code at}: {start, end, next} with start and end inside its quotes, or
	 * null when there is none (or it is already a marker).
	 */
	int[] value(int at) {
		if (at >= n || Redactor.isMarkerAt(text, at)) {
			return null;
		}
		char c = text.charAt(at);
		if (c == '"' || c == '\'') {
			int close = c == '"' ? closingDoubleQuote(at + 1) : text.indexOf('\'', at + 1);
			if (close < 0) {
				// an unclosed quote: all of the line is the value
				int end = lineEnd(at + 1);
				return new int[] { at + 1, end, end };
			}
			return Redactor.isMarkerAt(text, at + 1) ? null : new int[] { at + 1, close, close + 1 };
		}
		for (String quote : new String[] { "\\\"", "&quot;", "&apos;", "\\'" }) {
			if (text.startsWith(quote, at)) {
				int close = text.indexOf(quote, at + quote.length());
				int end = close < 0 ? lineEnd(at) : close;
				return Redactor.isMarkerAt(text, at + quote.length()) ? null
						: new int[] { at + quote.length(), end, close < 0 ? end : close + quote.length() };
			}
		}
		int end = valueEnd(at);
		return end == at ? null : new int[] { at, end, end };
	}

	/** Where an unquoted value ends: a blank, a quote, a separator, a closing tag, or {@code :name=} (RBD's options). */
	int valueEnd(int at) {
		int i = at;
		while (i < n) {
			char c = text.charAt(i);
			if ((c == ',' || c == ';' || c == '&') && i > at) {
				// a value runs on through , & ; (p,LEAK  a&LEAK) unless another NAME= pair or a blank follows
				int next = c == '&' && text.startsWith("&amp;", i) ? i + 5 : i + 1;
				if (next >= n || Character.isWhitespace(text.charAt(next)) || ",;&".indexOf(text.charAt(next)) >= 0
						|| nameFollowedByEquals(next)) {
					break;
				}
				i = next;
				continue;
			}
			if (c == '\\' && i > at && i + 1 < n && "\"'\\nrtu".indexOf(text.charAt(i + 1)) < 0
					&& !Character.isWhitespace(text.charAt(i + 1))) {
				i++; // a backslash inside the value (ab\\LEAK), not an escaped quote or a JSON escape
				continue;
			}
			if (Character.isWhitespace(c) || c == ',' || c == ';' || c == '&' || c == '}' || c == '"' || c == '\'' || c == '\\'
					|| c == '`' || c == '<' && (i + 1 >= n || text.charAt(i + 1) == '/' || i == at)) {
				break;
			}
			if (c == ':' && i > at && nameFollowedByEquals(i + 1)) {
				break;
			}
			i++;
		}
		return i;
	}

	private boolean nameFollowedByEquals(int at) {
		int i = at;
		while (i < n && i - at < 64 && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
			i++;
		}
		return i > at && i < n && text.charAt(i) == '=';
	}

	private int closingDoubleQuote(int from) {
		for (int i = from; i < n; i++) {
			char c = text.charAt(i);
			if (c == '\\') {
				i++;
			}
			else if (c == '"') {
				return i;
			}
			else if (c == '\n') {
				return -1;
			}
		}
		return -1;
	}

	/** After a name: past its closing quote ({@code "name":}, {@code 'name':}, {@code \"name\":}, {@code &quot;name&quot;:}). */
	private int closingQuote(int at) {
		if (at >= n) {
			return at;
		}
		for (String quote : new String[] { "\"", "'", "\\\"", "&quot;", "&apos;", "\\'" }) {
			if (text.startsWith(quote, at)) {
				return at + quote.length();
			}
		}
		return at;
	}

	private int skipBlanks(int at) {
		while (at < n && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
			at++;
		}
		return at;
	}

	private int lineEnd(int at) {
		int end = text.indexOf('\n', at);
		return end < 0 ? n : end;
	}

	/** The shell's PWD=/path, which shares its name with ODBC's password field. */
	private boolean isWorkingDirectory(int nameStart, int nameEnd, int value) {
		return (equalsIgnoreCase(nameStart, nameEnd, "pwd") || equalsIgnoreCase(nameStart, nameEnd, "oldpwd")) && text.charAt(value) == '/';
	}

	/** {@code $VAR} or {@code ${VAR}}: a reference to where the secret is, which stays readable. */
	private boolean isVariable(int start, int end) {
		if (end - start < 2 || text.charAt(start) != '$') {
			return false;
		}
		int i = start + 1;
		boolean braced = text.charAt(i) == '{';
		if (braced) {
			i++;
		}
		int nameStart = i;
		while (i < end && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
			i++;
		}
		return i > nameStart && (braced ? i == end - 1 && text.charAt(i) == '}' : i == end);
	}

	private boolean equalsIgnoreCase(int start, int end, String word) {
		return end - start == word.length() && text.regionMatches(true, start, word, 0, word.length());
	}

	/** The last '@' of the word being read, remembered so that no word is searched twice. */
	private int wordFrom = -1;
	private int wordEnd = -1;
	private int wordLastAt = -1;

	/** {@code scheme://user:PASSWORD@host} and {@code scheme://TOKEN@host}. */
	private void url(int authority) {
		int lastAt = -1;
		int i = authority;
		while (i < n) {
			char c = text.charAt(i);
			if (Character.isWhitespace(c) || c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '\\' || c == '<'
					|| c == '>' || c == '`') {
				break;
			}
			if (c == '@') {
				lastAt = i;
			}
			i++;
		}
		int colon = CommandState.indexOf(text, ':', authority, lastAt < 0 ? i : lastAt);
		if (lastAt < 0 && colon >= 0 && i < n && "/?#".indexOf(text.charAt(i)) >= 0 && !isPort(colon + 1, i)) {
			// a password with / ? or # unencoded: user:pa/ss@host, read to the end of the word
			lastAt = lastAtOfWord(i);
		}
		if (lastAt < 0) {
			return;
		}
		if (colon >= 0 && colon < lastAt) {
			if (!Redactor.isMarkerAt(text, colon + 1)) {
				spans.add(colon + 1, lastAt);
			}
		}
		else if (KnownTokens.looksLikeToken(text, authority, lastAt)) {
			spans.add(authority, lastAt);
		}
	}

	private boolean isPort(int start, int end) {
		for (int i = start; i < end; i++) {
			if (!Character.isDigit(text.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private int lastAtOfWord(int from) {
		if (from < wordFrom || from >= wordEnd) {
			wordFrom = from;
			wordLastAt = -1;
			int i = from;
			while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '"' && text.charAt(i) != '\'') {
				if (text.charAt(i) == '@') {
					wordLastAt = i;
				}
				i++;
			}
			wordEnd = i;
		}
		return wordLastAt >= from ? wordLastAt : -1;
	}

	/** {@code Authorization: Bearer TOKEN}: the credentials after the scheme, or all of a value without one. */
	private int authorization(int at) {
		if (at < n && (text.charAt(at) == '"' || text.charAt(at) == '\'')) {
			at++;
		}
		int wordEnd = at;
		while (wordEnd < n && !Character.isWhitespace(text.charAt(wordEnd)) && !isQuoteOrEscape(text.charAt(wordEnd))) {
			wordEnd++;
		}
		if (wordEnd == at || Redactor.isMarkerAt(text, at)) {
			return at;
		}
		int credentials = skipBlanks(wordEnd);
		boolean scheme = isLetters(at, wordEnd) && credentials < n && credentials > wordEnd
				&& !Character.isWhitespace(text.charAt(credentials)) && !isQuoteOrEscape(text.charAt(credentials));
		if (!scheme) {
			spans.add(at, wordEnd);
			return wordEnd;
		}
		if (Redactor.isMarkerAt(text, credentials)) {
			return credentials;
		}
		String name = text.substring(at, wordEnd).toLowerCase(Locale.ROOT);
		boolean oneWord = name.equals("bearer") || name.equals("basic") || name.equals("token") || name.equals("bot")
				|| name.equals("apikey") || name.equals("negotiate") || name.equals("ntlm");
		int end = credentials;
		while (end < n && text.charAt(end) != '\n' && !isQuoteOrEscape(text.charAt(end))
				&& !(oneWord && Character.isWhitespace(text.charAt(end)))) {
			end++;
		}
		spans.add(credentials, end);
		return end;
	}

	/** {@code Cookie: a=1; session=VALUE}: every value of the header, the names kept. */
	private int cookie(int at) {
		if (at < n && (text.charAt(at) == '"' || text.charAt(at) == '\'')) {
			at++;
		}
		int end = at;
		while (end < n && text.charAt(end) != '\n' && !isQuoteOrEscape(text.charAt(end))) {
			end++;
		}
		int i = at;
		while (i < end) {
			int eq = i;
			while (eq < end && text.charAt(eq) != '=' && text.charAt(eq) != ';') {
				eq++;
			}
			if (eq >= end) {
				break;
			}
			if (text.charAt(eq) == ';') {
				i = eq + 1;
				continue;
			}
			int valueEnd = eq + 1;
			while (valueEnd < end && text.charAt(valueEnd) != ';') {
				valueEnd++;
			}
			if (!Redactor.isMarkerAt(text, eq + 1)) {
				spans.add(eq + 1, valueEnd);
			}
			i = valueEnd + 1;
		}
		return end;
	}

	/** A bearer token standing alone: one with a digit, not "the bearer of". */
	private int bearer(int end) {
		int at = skipBlanks(end);
		if (at == end || at >= n) {
			return end;
		}
		int tokenEnd = at;
		boolean digit = false;
		while (tokenEnd < n && (isRunChar(text.charAt(tokenEnd)) || "~+/=".indexOf(text.charAt(tokenEnd)) >= 0)) {
			digit |= Character.isDigit(text.charAt(tokenEnd));
			tokenEnd++;
		}
		// no digit: still a token when long and not a word of prose (mixed case or token punctuation)
		if (!digit && !(tokenEnd - at >= 20 && looksLikeTokenWithoutDigit(at, tokenEnd))) {
			return end;
		}
		spans.add(at, tokenEnd);
		return tokenEnd;
	}

	private boolean looksLikeTokenWithoutDigit(int start, int end) {
		boolean upper = false;
		boolean lower = false;
		boolean punctuation = false;
		for (int i = start; i < end; i++) {
			char c = text.charAt(i);
			upper |= c >= 'A' && c <= 'Z';
			lower |= c >= 'a' && c <= 'z';
			punctuation |= "_.~+/=".indexOf(c) >= 0;
		}
		return upper && lower || punctuation;
	}

	/** {@code io.systemd.credential:NAME=VALUE} (and {@code .binary:}): the value, whatever the name. */
	private int systemdCredential(int at) {
		int eq = at;
		while (eq < n && eq - at < 256 && (isRunChar(text.charAt(eq)) || text.charAt(eq) == '@')) {
			eq++;
		}
		if (eq >= n || text.charAt(eq) != '=') {
			return at;
		}
		int[] v = value(eq + 1);
		if (v == null) {
			return eq + 1;
		}
		spans.add(v[0], v[1]);
		return v[2];
	}

	/** A PEM block: the body of a private key, up to its END line (or all that follows when there is none). */
	private int pem(int afterBegin) {
		int labelEnd = -1;
		for (int i = afterBegin; i < n && i - afterBegin < 80 && text.charAt(i) != '\n'; i++) {
			if (text.startsWith("-----", i)) {
				labelEnd = i;
				break;
			}
		}
		if (labelEnd < 0 || !text.substring(afterBegin, labelEnd).contains("PRIVATE KEY")) {
			return afterBegin;
		}
		int body = labelEnd + 5;
		int end = text.indexOf("-----END", body);
		if (end < 0) {
			end = n;
		}
		if (!Redactor.isMarkerAt(text, skipBlanks(body))) {
			spans.add(body, end);
		}
		return end;
	}

	private static final String[] CRYPT_PREFIXES = { "apr1$", "2a$", "2b$", "2y$", "2x$", "1$", "5$", "6$", "y$", "gy$", "7$",
			"argon2", "sha1$", "pbkdf2" };

	/** A crypt(3) hash, as in htpasswd and basic-auth labels ({@code user:$apr1$...}, {@code $$2y$$} in compose files). */
	private int cryptHash(int at) {
		int i = at + 1;
		if (i < n && text.charAt(i) == '$') {
			i++;
		}
		for (String prefix : CRYPT_PREFIXES) {
			if (text.startsWith(prefix, i)) {
				int end = i;
				while (end < n && (isRunChar(text.charAt(end)) || "$/+=".indexOf(text.charAt(end)) >= 0)) {
					end++;
				}
				if (end - at >= 12) {
					spans.add(at, end);
					return end;
				}
				return i;
			}
		}
		return at + 1;
	}

	private boolean isLetters(int start, int end) {
		for (int i = start; i < end; i++) {
			if (!Character.isLetter(text.charAt(i)) && text.charAt(i) != '-' && text.charAt(i) != '_') {
				return false;
			}
		}
		return true;
	}

	private static boolean isQuoteOrEscape(char c) {
		return c == '"' || c == '\'' || c == '\\' || c == '`';
	}
}
