package io.virtwise.advice.fix;

import io.virtwise.facts.ContainerFacts;

/**
 * Log rotation for containers on the json-file driver, which keeps everything a container prints
 * unless it has {@code max-size} (Docker's json-file driver reference: max-size defaults to -1,
 * unlimited). The {@code local} driver rotates by default (20 MB x 5 files), so it is never flagged.
 *
 * <p>Daemon {@code log-opts} reach a container when it is created, and only when it uses the
 * daemon's own log driver (dockerd's mergeAndVerifyLogConfig; dockerd 20.10 also reads log-opts
 * only at start, not on SIGHUP). A max-size for a driver that does not
 * take it (journald) makes dockerd refuse to start, so the daemon.json edit checks the driver first.
 */
public final class LogRotation {

	/** Docker's own json-file example: three files of 10 MB. */
	public static final String MAX_SIZE = "10m";
	public static final String MAX_FILE = "3";

	static final String DAEMON_JSON = "/etc/docker/daemon.json";

	private LogRotation() {
	}

	/** On json-file with no max-size (or -1, which the driver reads as unlimited). */
	public static boolean unbounded(ContainerFacts c) {
		return "json-file".equals(c.logDriver()) && ("".equals(c.logMaxSize()) || "-1".equals(c.logMaxSize()));
	}

	/** Whether daemon log-opts with max-size apply to new containers on this default driver. */
	public static boolean daemonCanRotate(String defaultDriver) {
		return "json-file".equals(defaultDriver) || "local".equals(defaultDriver);
	}

	/** The options for one container's own definition. */
	public static String runOptions() {
		return "--log-opt max-size=" + MAX_SIZE + " --log-opt max-file=" + MAX_FILE;
	}

	/**
	 * Merges max-size and max-file into daemon.json's log-opts, keeping every key already there
	 * (a max-size already set wins), after a one-time note of how the file was: a backup, or a
	 * marker that there was none. jq refuses, and nothing changes, when the file's log-driver is not
	 * json-file or local, or the file is not JSON.
	 */
	public static String daemonJsonMerge() {
		return "f=" + DAEMON_JSON + "; mkdir -p \"${f%/*}\""
				+ " && if [ ! -e \"$f.virtwise-bak\" ] && [ ! -e \"$f.virtwise-none\" ]; then"
				+ " if [ -e \"$f\" ]; then cp -p \"$f\" \"$f.virtwise-bak\"; else : > \"$f.virtwise-none\"; fi; fi"
				+ " && cat \"$f\" 2>/dev/null | jq -s '(.[0] // {}) | (.\"log-driver\" // \"json-file\") as $d"
				+ " | if $d == \"json-file\" or $d == \"local\" then .\"log-opts\" = ({\"max-size\": \"" + MAX_SIZE
				+ "\", \"max-file\": \"" + MAX_FILE + "\"} + (.\"log-opts\" // {}))"
				+ " else error(\"log-driver \\($d) takes no max-size: nothing changed\") end' > \"$f.virtwise-new\""
				+ " && mv \"$f.virtwise-new\" \"$f\" || rm -f \"$f.virtwise-new\"";
	}

	/** The file as it was before {@link #daemonJsonMerge()}: the backup back, or no file if there was none. Idempotent. */
	public static String daemonJsonRollback() {
		return "f=" + DAEMON_JSON + "; if [ -e \"$f.virtwise-bak\" ]; then mv \"$f.virtwise-bak\" \"$f\";"
				+ " elif [ -e \"$f.virtwise-none\" ]; then rm -f \"$f\" \"$f.virtwise-none\"; fi"
				+ "   # the file as it was (none, if there was none)";
	}

	/** dockerd reads log-opts only when it starts. */
	public static String restartNote() {
		return "# dockerd reads log-opts only when it starts: restart it when its containers may stop (systemctl restart "
				+ "docker); they stop unless \"live-restore\" is on, and come back per their restart policy";
	}
}
