package io.virtwise.redact;

/**
 * Tokens recognised by their own shape wherever they stand: GitHub, GitLab, Slack, AWS access
 * keys, JWTs, OpenAI- and Stripe-style keys, npm, PyPI and Hugging Face tokens.
 */
final class KnownTokens {

	/** A prefix and how many characters must follow it. */
	private record Prefix(String prefix, int rest) {
	}

	private static final Prefix[] PREFIXES = { new Prefix("ghp_", 20), new Prefix("AIza", 30), new Prefix("gho_", 20), new Prefix("ghu_", 20),
			new Prefix("ghs_", 20), new Prefix("ghr_", 20), new Prefix("github_pat_", 20), new Prefix("glpat-", 16),
			new Prefix("xoxb-", 10), new Prefix("xoxp-", 10), new Prefix("xoxa-", 10), new Prefix("xoxo-", 10),
			new Prefix("xoxr-", 10), new Prefix("xoxs-", 10), new Prefix("xoxe-", 10), new Prefix("sk-", 20),
			new Prefix("sk_live_", 10), new Prefix("sk_test_", 10), new Prefix("rk_live_", 10), new Prefix("pk_live_", 10),
			new Prefix("npm_", 30), new Prefix("pypi-", 30), new Prefix("hf_", 30), new Prefix("glrt-", 16),
			new Prefix("dop_v1_", 30), new Prefix("SG.", 30) };

	private KnownTokens() {
	}

	static boolean isToken(CharSequence text, int start, int end) {
		int length = end - start;
		if (length < 16) {
			return false;
		}
		for (Prefix p : PREFIXES) {
			if (length >= p.prefix().length() + p.rest() && startsWith(text, start, p.prefix())) {
				return true;
			}
		}
		if (length == 20 && (startsWith(text, start, "AKIA") || startsWith(text, start, "ASIA"))) {
			for (int i = start + 4; i < end; i++) {
				char c = text.charAt(i);
				if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
					return false;
				}
			}
			return true;
		}
		return startsWith(text, start, "eyJ") && isJwt(text, start, end);
	}

	/** Three base64url parts, the first two at least a few characters long. */
	private static boolean isJwt(CharSequence text, int start, int end) {
		int dots = 0;
		int partLength = 0;
		for (int i = start; i < end; i++) {
			char c = text.charAt(i);
			if (c == '.') {
				if (partLength < 4 && dots < 2) {
					return false;
				}
				dots++;
				partLength = 0;
			}
			else {
				partLength++;
			}
		}
		return dots == 2;
	}

	/**
	 * A URL's user standing alone that is a credential rather than a name ({@code https://TOKEN@host},
	 * not {@code ssh://git@host}): a known token, or long, mixed letters and digits.
	 */
	static boolean looksLikeToken(CharSequence text, int start, int end) {
		if (isToken(text, start, end)) {
			return true;
		}
		if (end - start < 10) {
			return false;
		}
		int letters = 0;
		int digits = 0;
		for (int i = start; i < end; i++) {
			char c = text.charAt(i);
			if (Character.isLetter(c)) {
				letters++;
			}
			else if (Character.isDigit(c)) {
				digits++;
			}
		}
		return letters > 0 && digits > 0 || SecretName.looksRandom(text, start, end);
	}

	private static boolean startsWith(CharSequence text, int start, String prefix) {
		if (text.length() - start < prefix.length()) {
			return false;
		}
		for (int i = 0; i < prefix.length(); i++) {
			if (text.charAt(start + i) != prefix.charAt(i)) {
				return false;
			}
		}
		return true;
	}
}
