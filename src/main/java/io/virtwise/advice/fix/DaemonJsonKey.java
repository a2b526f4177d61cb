package io.virtwise.advice.fix;

/**
 * One key of dockerd's /etc/docker/daemon.json set with jq, keeping every other key, and its exact
 * way back: the key's previous value (or its absence) is noted beside the file the first time, and
 * the rollback puts that back whatever else changed in the file since. dockerd refuses to start
 * when a setting is given both in daemon.json and on its command line, so the edit is made only
 * when the command line does not carry the same flag.
 */
public final class DaemonJsonKey {

	static final String DAEMON_JSON = "/etc/docker/daemon.json";

	private final String key;
	private final String jsonValue;

	/** @param jsonValue the value as JSON text: {@code false}, {@code "overlay2"}, {@code {"max-size":"10m"}} */
	public DaemonJsonKey(String key, String jsonValue) {
		this.key = key;
		this.jsonValue = jsonValue;
	}

	private String before() {
		return "\"$f.virtwise-" + key + ".before\"";
	}

	/** The edit, one line: refused (exit 1, nothing changed) when dockerd's command line sets --KEY, or the file is not JSON. */
	public String set() {
		return "f=" + DAEMON_JSON + "; if pgrep -ax dockerd | grep -q -e '--" + key + "'; then"
				+ " echo \"dockerd's command line sets --" + key + ": change it there (dockerd refuses a setting given both ways)\"; false;"
				+ " else mkdir -p \"${f%/*}\" && { [ -e " + before() + " ] || { if [ -e \"$f\" ]; then jq -c '.\"" + key + "\"' \"$f\";"
				+ " else echo null; fi > " + before() + " || { rm -f " + before() + "; false; }; }; }"
				+ " && { cat \"$f\" 2>/dev/null || echo '{}'; } | jq -s '(.[0] // {}) | .\"" + key + "\" = " + jsonValue + "' > \"$f.virtwise-new\""
				+ " && mv \"$f.virtwise-new\" \"$f\" || { rm -f \"$f.virtwise-new\"; false; }; fi";
	}

	/** The key as it was before {@link #set()}: its old value, or gone when it had none. Does nothing when no note was made. */
	public String rollback() {
		return "f=" + DAEMON_JSON + "; [ -e " + before() + " ] && jq -s --argjson old \"$(cat " + before() + ")\""
				+ " '(.[0] // {}) | if $old == null then del(.\"" + key + "\") else .\"" + key + "\" = $old end' \"$f\" > \"$f.virtwise-new\""
				+ " && mv \"$f.virtwise-new\" \"$f\" && rm -f " + before() + "   # " + key + " as it was";
	}
}
