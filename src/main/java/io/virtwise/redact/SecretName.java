package io.virtwise.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a name (an option, a variable, a key, a label, an XML attribute) says its value is a
 * secret. A name is cut into parts at {@code _ - . :} and at lower-to-upper case changes
 * ({@code apiToken}, {@code AccountKey}), and the parts are read as words, so {@code
 * --max-total-tokens}, {@code --tokenizer} and {@code --keyboard} stay ordinary.
 */
public enum SecretName {

	/** Not a secret's name. */
	NONE,
	/** A key of some kind (SORT_KEY, key): its value is a secret only when it looks random. */
	WEAK,
	/** A token, secret, credential, API or private key: the value is a secret. */
	SECRET,
	/** A password: as SECRET, and an option of this kind takes the next word even when it starts with one dash. */
	PASSWORD;

	/** Names of where a secret is or what it is like, not of the secret: --password-file PATH, TOKEN_LENGTH=32. */
	private static final Set<String> NOT_A_VALUE = Set.of("file", "path", "stdin", "dir", "env", "name", "length", "len", "size",
			"type", "id", "ids", "timeout", "ttl", "count", "prompt", "url", "uri", "endpoint", "host", "port", "user", "username",
			"limit", "max", "min", "format", "mode", "policy", "hint", "required", "enabled", "enable", "disabled", "disable",
			"method", "algorithm", "alg", "expiry", "expires", "lifetime", "fd", "cmd", "command", "helper", "provider", "header",
			"location", "mount", "source", "store", "manager");

	/** First words that turn a secret's name into a switch: --no-password, --ask-pass. */
	private static final Set<String> SWITCH_PREFIX = Set.of("no", "ask", "skip", "without", "use", "allow", "require", "show",
			"print", "generate", "rotate", "read");

	/** Words before "key" that make it a secret's key; any other key is WEAK. */
	private static final Set<String> SECRET_KEY_QUALIFIER = Set.of("api", "access", "secret", "private", "master", "encryption",
			"encrypt", "app", "account", "sharedaccess", "signing", "sign", "auth", "client", "session", "license", "service",
			"subscription", "hmac", "jwt", "aes", "crypt", "ssh", "gpg", "pgp", "admin", "root", "consumer", "webhook", "rbd",
			"ceph", "cephx", "luks", "storage");

	private static final Set<String> SECRET_WORDS = Set.of("token", "jwt", "cookie", "cookies", "credential", "credentials",
			"creds", "sessionid", "jsessionid", "phpsessid", "sessid", "sas", "sig", "apikey", "accesskey", "secretkey",
			"privatekey", "masterkey", "accountkey", "sharedaccesskey", "sharedaccesssignature", "encryptionkey", "appkey",
			"authkey", "signingkey", "clientkey", "sessionkey", "licensekey", "apitoken", "authtoken", "accesstoken",
			"refreshtoken", "bearer", "authorization", "masterauth", "privkey", "secretkeybase");

	private static final Set<String> PASSWORD_WORDS = Set.of("pass", "pwd", "pw", "passin", "passout", "passwort", "mot_de_passe",
			"kennwort", "contrasena", "senha", "requirepass", "masterauth", "passcode");

	/** Words that end in "pass" and are no passwords. */
	private static final Set<String> NOT_PASS = Set.of("bypass", "compass", "surpass", "overpass", "underpass", "trespass",
			"encompass", "firstpass", "multipass", "onepass", "singlepass", "twopass", "lowpass", "highpass", "bandpass");

	/** The kind of {@code text[start, end)} read as a name; leading dashes and quotes are not part of it. */
	public static SecretName of(CharSequence text, int start, int end) {
		while (start < end && (text.charAt(start) == '-' || text.charAt(start) == '"' || text.charAt(start) == '\'')) {
			start++;
		}
		// a name is short; a long run of word characters is data, not a name
		if (end - start == 0 || end - start > 128) {
			return NONE;
		}
		if (!hasStem(text, start, end)) {
			return NONE;
		}
		List<String> parts = parts(text, start, end);
		if (parts.isEmpty()) {
			return NONE;
		}
		if (parts.size() > 1 && (NOT_A_VALUE.contains(parts.get(parts.size() - 1)) || SWITCH_PREFIX.contains(parts.get(0)))) {
			return NONE;
		}
		SecretName found = NONE;
		for (int i = 0; i < parts.size(); i++) {
			SecretName kind = word(parts.get(i), i == 0 ? null : parts.get(i - 1), parts.size());
			if (kind.ordinal() > found.ordinal()) {
				found = kind;
			}
		}
		return found;
	}

	/** Every word below contains one of these: most names are rejected here without being cut into parts. */
	private static final String[] STEMS = { "pass", "pw", "secret", "token", "key", "jwt", "cred", "cookie", "sess", "sas", "sig",
			"bearer", "auth", "kennwort", "contrasena", "senha" };

	private static boolean hasStem(CharSequence text, int start, int end) {
		String lower = text.subSequence(start, end).toString().toLowerCase(Locale.ROOT);
		for (String stem : STEMS) {
			if (lower.contains(stem)) {
				return true;
			}
		}
		return false;
	}

	public static SecretName of(String name) {
		return name == null ? NONE : of(name, 0, name.length());
	}

	/** Secret or password: its value goes, whatever it is. */
	public boolean always() {
		return this == SECRET || this == PASSWORD;
	}

	private static SecretName word(String part, String previous, int partCount) {
		if (part.contains("password") || part.contains("passwd") || part.contains("passphrase") || PASSWORD_WORDS.contains(part)
				|| part.endsWith("pass") && part.length() <= 12 && !NOT_PASS.contains(part)) {
			return PASSWORD;
		}
		if (part.contains("secret") || part.contains("credential") || SECRET_WORDS.contains(part) || part.endsWith("token")
				&& !part.equals("token") || part.equals("token") || part.endsWith("apikey") || part.endsWith("privatekey")
				|| part.equals("session") && partCount == 1) {
			return SECRET;
		}
		if (part.equals("auth") && ("redis".equals(previous) || "valkey".equals(previous))) {
			return SECRET; // REDIS_AUTH: the server's password (auth alone names a kind, as auth_supported=cephx)
		}
		if (part.equals("key") || part.equals("keys")) {
			return previous != null && SECRET_KEY_QUALIFIER.contains(previous) ? SECRET : WEAK;
		}
		return NONE;
	}

	/** Lower-case parts: split at separators and where a lower-case letter or digit meets an upper-case one. */
	static List<String> parts(CharSequence text, int start, int end) {
		List<String> parts = new ArrayList<>();
		StringBuilder part = new StringBuilder();
		for (int i = start; i < end; i++) {
			char c = text.charAt(i);
			boolean separator = c == '_' || c == '-' || c == '.' || c == ':' || c == ' ' || c == '/';
			boolean camel = Character.isUpperCase(c) && i > start && (Character.isLowerCase(text.charAt(i - 1)));
			if ((separator || camel) && !part.isEmpty()) {
				parts.add(part.toString().toLowerCase(Locale.ROOT));
				part.setLength(0);
			}
			if (!separator) {
				part.append(c);
			}
		}
		if (!part.isEmpty()) {
			parts.add(part.toString().toLowerCase(Locale.ROOT));
		}
		return parts;
	}

	/**
	 * Whether a value under a WEAK name looks like key material rather than a word: long, without
	 * blanks, letters and digits mixed, and varied.
	 */
	public static boolean looksRandom(CharSequence text, int start, int end) {
		int length = end - start;
		if (length < 16) {
			return false;
		}
		int letters = 0;
		int digits = 0;
		int[] counts = new int[128];
		int other = 0;
		for (int i = start; i < end; i++) {
			char c = text.charAt(i);
			if (Character.isWhitespace(c)) {
				return false;
			}
			if (Character.isLetter(c)) {
				letters++;
			}
			else if (Character.isDigit(c)) {
				digits++;
			}
			if (c < 128) {
				counts[c]++;
			}
			else {
				other++;
			}
		}
		if (letters == 0 || digits == 0) {
			return false;
		}
		double entropy = 0;
		for (int count : counts) {
			if (count > 0) {
				double p = count / (double) length;
				entropy -= p * Math.log(p) / Math.log(2);
			}
		}
		return entropy + (other > 0 ? 1 : 0) >= 3.0;
	}
}
