package io.virtwise.redact;

import java.util.Set;

/**
 * What the words of one command so far say about the next: a secret-looking option waits for
 * its value ({@code --token VALUE}), and a client's own password options ({@code mysql -pPASS},
 * {@code sshpass -p PASS}) count only after the client's name, because the same short options mean
 * other things elsewhere ({@code -p} is a port to ssh, {@code -u 1000:1000} a user to docker).
 */
final class CommandState {

	/** Receives the range of a secret inside the word it was given. */
	interface Sink {
		void secret(int start, int end);
	}

	private enum Wait {
		NONE, VALUE, VALUE_OR_DASH, NOT_AN_OPTION, CURL_USER, SMB_USER, AUTHORIZATION
	}

	private static final Set<String> MYSQL = Set.of("mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlshow", "mysqlcheck",
			"mysqlpump", "mariadb", "mariadb-dump", "mariadb-admin", "mariadb-import", "mariadb-check");
	private static final Set<String> MONGO = Set.of("mongo", "mongosh", "mongodump", "mongorestore", "mongoexport", "mongoimport",
			"mongostat", "mongotop", "mongofiles");
	private static final Set<String> LDAP = Set.of("ldapsearch", "ldapadd", "ldapmodify", "ldapdelete", "ldapwhoami",
			"ldapcompare", "ldapmodrdn", "ldappasswd", "ldapexop", "ldapurl");
	private static final Set<String> SMB = Set.of("smbclient", "rpcclient", "smbcacls", "smbget", "smbtree", "smbmap",
			"smbcquotas", "mount.cifs");
	private static final Set<String> CLIENTS = Set.of("redis-cli", "curl", "sshpass", "openssl", "sqlcmd", "bcp", "keytool", "docker", "podman",
			"ssh-keygen", "htpasswd");

	/**
	 * Whether the words are separate arguments, where {@code NAME:} and its value or a header and its
	 * credentials are two words; in text the first pass reads those forms whole.
	 */
	private final boolean arguments;

	CommandState(boolean arguments) {
		this.arguments = arguments;
	}

	private String client = "";
	private boolean login;
	private boolean htpasswdBatch;
	private int htpasswdWords;
	private Wait wait = Wait.NONE;
	/** After {@code Cookie:} every {@code name=value} word of the command is a cookie. */
	private boolean cookies;
	/** The last word was a secret's name, so {@code =}, {@code :} or {@code :=} standing alone leads to its value. */
	private boolean afterSecretName;

	static boolean isClient(String name) {
		return MYSQL.contains(name) || MONGO.contains(name) || LDAP.contains(name) || SMB.contains(name) || CLIENTS.contains(name);
	}

	/** A new command ({@code ;}, {@code &&}, {@code |}, a line break): no client, nothing awaited. */
	void reset() {
		client = "";
		wait = Wait.NONE;
		cookies = false;
	}

	/** The program that the words go to without being among them (an entrypoint). */
	void program(String program) {
		if (program != null) {
			// read as the command's first word; the program itself is shown redacted as text elsewhere
			word(program, 0, program.length(), (start, end) -> { });
		}
	}

	/**
	 * One word, {@code word[start, end)} with its quotes; ranges of secrets go to the sink.
	 *
	 * @return whether the whole word was taken as a secret's value
	 */
	boolean word(String word, int start, int end, Sink sink) {
		int[] inner = unquoted(word, start, end);
		Wait waiting = wait;
		wait = Wait.NONE;
		if (waiting == Wait.AUTHORIZATION && isScheme(word, inner[0], inner[1])) {
			// Authorization: Bearer TOKEN, split into arguments: the scheme stays, the next word goes
			wait = Wait.VALUE_OR_DASH;
			return false;
		}
		if (cookies) {
			int eq = indexOf(word, '=', inner[0], inner[1]);
			if (eq >= 0 && !Redactor.isMarkerAt(word, eq + 1)) {
				int valueEnd = inner[1] > eq + 1 && word.charAt(inner[1] - 1) == ';' ? inner[1] - 1 : inner[1];
				sink.secret(eq + 1, valueEnd);
			}
		}
		if (waiting != Wait.NONE && takesValue(waiting, word, inner[0], inner[1])) {
			valueSecret(waiting, word, inner[0], inner[1], sink);
			return true;
		}
		if (end - start > 256) {
			return false;
		}
		String w = word.substring(start, end);
		boolean nameBefore = afterSecretName;
		afterSecretName = isOptionName(w) && SecretName.of(w).always();
		if (arguments && nameBefore && (w.equals("=") || w.equals(":") || w.equals(":="))) {
			wait = Wait.VALUE;
			return false;
		}
		String name = baseName(w);
		if (isClient(name)) {
			client = name;
			login = false;
			htpasswdBatch = false;
			htpasswdWords = 0;
			return false;
		}
		int eq = w.indexOf('=');
		if (arguments && eq > 0 && eq < w.length() - 1) {
			String key = trimToName(w.substring(0, eq));
			if ((key.equalsIgnoreCase("authorization") || key.equalsIgnoreCase("proxy-authorization"))
					&& isScheme(w, eq + 1, w.length())) {
				// Authorization=Basic TOKEN split into arguments: the next word goes
				wait = Wait.VALUE_OR_DASH;
				return false;
			}
		}
		if (arguments && (w.endsWith(":") || w.endsWith("="))) {
			// NAME: VALUE and NAME= VALUE split into arguments, and the headers that carry credentials
			String key = trimToName(w.substring(0, w.length() - 1));
			if (key.equalsIgnoreCase("authorization") || key.equalsIgnoreCase("proxy-authorization")) {
				wait = Wait.AUTHORIZATION;
				return false;
			}
			if (key.equalsIgnoreCase("cookie") || key.equalsIgnoreCase("set-cookie")) {
				cookies = true;
				return false;
			}
			if (isOptionName(key) && SecretName.of(key).always()) {
				wait = Wait.VALUE;
				return false;
			}
		}
		if (w.startsWith("-") && w.length() > 1 && isOptionName(w)) {
			SecretName kind = SecretName.of(w);
			if (kind.always()) {
				wait = kind == SecretName.PASSWORD ? Wait.VALUE_OR_DASH : Wait.VALUE;
				return false;
			}
		}
		clientOption(w, start, sink);
		return false;
	}

	/** {@code -pPASS}, {@code -uuser:PASS}, {@code -Uuser%PASS} and options whose value is the next word. */
	private void clientOption(String w, int start, Sink sink) {
		if (client.equals("htpasswd") && !w.startsWith("-")) {
			// htpasswd -b FILE USER PASSWORD: the third word after the batch switch
			if (htpasswdBatch && ++htpasswdWords == 3) {
				sink.secret(start, start + w.length());
			}
			return;
		}
		if (client.isEmpty() || !w.startsWith("-")) {
			if ((client.equals("docker") || client.equals("podman")) && w.equals("login")) {
				login = true;
			}
			return;
		}
		boolean attached = w.length() > 2 && !w.startsWith("--");
		if (MYSQL.contains(client) && w.startsWith("-p") && attached) {
			secretInside(w, 2, start, sink, Wait.VALUE);
		}
		else if (client.equals("sshpass") && w.startsWith("-p")) {
			after(w, start, sink, Wait.VALUE_OR_DASH);
		}
		else if (MONGO.contains(client) && w.equals("-p")) {
			wait = Wait.NOT_AN_OPTION;
		}
		else if (client.equals("redis-cli") && (w.equals("-a") || w.equals("--pass") || w.equals("--askpass"))) {
			wait = Wait.NOT_AN_OPTION;
		}
		else if (LDAP.contains(client) && (w.startsWith("-w") || client.equals("ldappasswd") && (w.startsWith("-s")
				|| w.startsWith("-a")))) {
			after(w, start, sink, Wait.VALUE_OR_DASH);
		}
		else if (client.equals("curl") && (w.equals("-u") || w.equals("-U") || w.equals("--user") || w.equals("--proxy-user"))) {
			wait = Wait.CURL_USER;
		}
		else if (client.equals("curl") && (w.startsWith("-u") || w.startsWith("-U")) && attached) {
			valueSecret(Wait.CURL_USER, w, 2, w.length(), shift(sink, start));
		}
		else if (SMB.contains(client) && (w.equals("-U") || w.equals("--user"))) {
			wait = Wait.SMB_USER;
		}
		else if (SMB.contains(client) && w.startsWith("-U") && attached) {
			valueSecret(Wait.SMB_USER, w, 2, w.length(), shift(sink, start));
		}
		else if ((client.equals("sqlcmd") || client.equals("bcp")) && w.startsWith("-P")) {
			after(w, start, sink, Wait.VALUE_OR_DASH);
		}
		else if ((client.equals("docker") || client.equals("podman")) && login && (w.equals("-p") || w.startsWith("-p") && attached)) {
			after(w, start, sink, Wait.VALUE_OR_DASH);
		}
		else if (client.equals("ssh-keygen") && (w.startsWith("-N") || w.startsWith("-P"))) {
			after(w, start, sink, Wait.VALUE_OR_DASH);
		}
		else if (client.equals("htpasswd") && w.length() > 1 && !w.startsWith("--") && w.indexOf('b') > 0) {
			htpasswdBatch = true;
		}
		else if (client.equals("openssl") && w.equals("-k")) {
			wait = Wait.VALUE_OR_DASH;
		}
	}

	/** A two-letter option: its attached value ({@code -pPASS}) or the next word. */
	private void after(String w, int start, Sink sink, Wait next) {
		if (w.length() > 2) {
			secretInside(w, 2, start, sink, next);
		}
		else {
			wait = next;
		}
	}

	private static void secretInside(String w, int from, int start, Sink sink, Wait kind) {
		int[] inner = unquoted(w, from, w.length());
		if (!Redactor.isMarkerAt(w, inner[0])) {
			sink.secret(start + inner[0], start + inner[1]);
		}
	}

	private static Sink shift(Sink sink, int by) {
		return (s, e) -> sink.secret(s + by, e + by);
	}

	private static boolean takesValue(Wait waiting, String word, int start, int end) {
		if (start >= end) {
			return false;
		}
		if (word.startsWith("--", start)) {
			return false;
		}
		if (word.charAt(start) == '-') {
			return switch (waiting) {
				case VALUE_OR_DASH -> true;
				case NOT_AN_OPTION, CURL_USER, SMB_USER, AUTHORIZATION -> false;
				// -q and -vq are options; -Xy7_ is a value that starts with a dash
				default -> !looksLikeShortOptions(word, start, end);
			};
		}
		return true;
	}

	/** A key without the quotes and braces around it: {'password': -> password. */
	private static String trimToName(String key) {
		int start = 0;
		int end = key.length();
		while (start < end && !TextScanner.isRunChar(key.charAt(start))) {
			start++;
		}
		while (end > start && !TextScanner.isRunChar(key.charAt(end - 1))) {
			end--;
		}
		return key.substring(start, end);
	}

	private static boolean isScheme(String word, int start, int end) {
		if (end - start < 3 || end - start > 20) {
			return false;
		}
		for (int i = start; i < end; i++) {
			if (!Character.isLetter(word.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isOptionName(String w) {
		for (int i = 0; i < w.length(); i++) {
			if (!TextScanner.isRunChar(w.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean looksLikeShortOptions(String word, int start, int end) {
		if (end - start > 5) {
			return false;
		}
		for (int i = start + 1; i < end; i++) {
			if (!Character.isLetter(word.charAt(i))) {
				return false;
			}
		}
		return end - start > 1;
	}

	/** The secret part of a value: all of it, the password of {@code user:PASS}, or what follows {@code pass:}. */
	private static void valueSecret(Wait waiting, String word, int start, int end, Sink sink) {
		int[] inner = unquoted(word, start, end);
		start = inner[0];
		end = inner[1];
		if (start >= end || Redactor.isMarkerAt(word, start) || isVariable(word, start, end)) {
			return;
		}
		if (waiting == Wait.CURL_USER) {
			int colon = indexOf(word, ':', start, end);
			if (colon < 0 || colon >= end) {
				return;
			}
			// user:password keeps the user; KEY: (an API key as the user, no password) loses the key
			if (colon == end - 1) {
				sink.secret(start, colon);
			}
			else if (!Redactor.isMarkerAt(word, colon + 1)) {
				sink.secret(colon + 1, end);
			}
			return;
		}
		if (waiting == Wait.SMB_USER) {
			int percent = indexOf(word, '%', start, end);
			if (percent >= 0 && percent < end - 1) {
				sink.secret(percent + 1, end);
			}
			return;
		}
		// openssl's pass:SECRET; env:NAME, file:PATH and fd:N say where the secret is
		if (word.startsWith("pass:", start)) {
			sink.secret(start + 5, end);
			return;
		}
		if (word.startsWith("env:", start) || word.startsWith("file:", start) || word.startsWith("fd:", start)) {
			return;
		}
		sink.secret(start, end);
	}

	private static boolean isVariable(String word, int start, int end) {
		if (word.charAt(start) != '$' || end - start < 2) {
			return false;
		}
		for (int i = start + 1; i < end; i++) {
			char c = word.charAt(i);
			if (!(Character.isLetterOrDigit(c) || c == '_' || c == '{' && i == start + 1 || c == '}' && i == end - 1)) {
				return false;
			}
		}
		return true;
	}

	/** The inside of a word wholly in one pair of quotes, else the word. */
	static int[] unquoted(String word, int start, int end) {
		if (end - start >= 2) {
			char first = word.charAt(start);
			if ((first == '"' || first == '\'') && word.charAt(end - 1) == first && indexOf(word, first, start + 1, end) == end - 1) {
				return new int[] { start + 1, end - 1 };
			}
			if (end - start >= 4 && word.startsWith("\\\"", start) && word.startsWith("\\\"", end - 2)) {
				return new int[] { start + 2, end - 2 };
			}
		}
		return new int[] { start, end };
	}

	/** The first {@code c} in {@code word[from, to)}, or -1: never past the word, which may be part of a long text. */
	static int indexOf(String word, char c, int from, int to) {
		for (int i = from; i < to; i++) {
			if (word.charAt(i) == c) {
				return i;
			}
		}
		return -1;
	}

	static String baseName(String word) {
		if (word == null) {
			return "";
		}
		String w = word;
		if (w.length() >= 2 && (w.charAt(0) == '"' || w.charAt(0) == '\'') && w.charAt(w.length() - 1) == w.charAt(0)) {
			w = w.substring(1, w.length() - 1);
		}
		return w.substring(w.lastIndexOf('/') + 1);
	}
}
