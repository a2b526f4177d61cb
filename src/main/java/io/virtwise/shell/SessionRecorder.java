package io.virtwise.shell;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import io.virtwise.advice.RuleBaseService;
import io.virtwise.session.SessionEntry;
import io.virtwise.session.SessionJournal;
import io.virtwise.session.SessionStore;

/**
 * Records the interactive session as it happens: the journal is created with the first command
 * and every command is appended and forced to disk before the next prompt.
 */
public final class SessionRecorder implements AutoCloseable {

	private final Path folder;
	private final RuleBaseService rules;
	private final String version;
	private SessionJournal journal;
	private int seq;
	private boolean failed;

	public SessionRecorder(Path folder, RuleBaseService rules, String version) {
		this.folder = folder;
		this.rules = rules;
		this.version = version;
	}

	public Path folder() {
		return folder;
	}

	/** The journal of this session, or {@code null} before the first command. */
	public synchronized Path currentFile() {
		return journal == null ? null : journal.file();
	}

	public synchronized void record(String line, String output, int exit, long millis, CommandOutcome outcome) {
		if (failed) {
			return;
		}
		try {
			open();
			journal.append(SessionEntry.command(++seq, now(), line, exit, millis, output, outcome.facts(),
					outcome.recommendations()));
		}
		catch (IOException e) {
			failed = true; // say it once, keep the shell going
			System.err.println("virtwise: session recording stopped: " + e.getMessage());
		}
	}

	public synchronized Path name(String name) throws IOException {
		open();
		journal.append(SessionEntry.named(name, now()));
		return journal.file();
	}

	private void open() throws IOException {
		if (journal != null) {
			return;
		}
		String started = now();
		String host = hostName();
		String stem = started.replace(":", "-") + "-" + host + "-" + ProcessHandle.current().pid();
		String rulesHash;
		try {
			rulesHash = rules.get().contentHash();
		}
		catch (Exception e) {
			rulesHash = null; // a broken rule base is itself recorded by the commands that hit it
		}
		journal = SessionJournal.create(folder.resolve(stem + SessionStore.SUFFIX),
				SessionEntry.header(version, rulesHash, host, started));
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "_");
		}
		catch (IOException e) {
			return "host";
		}
	}

	private static String now() {
		return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
	}

	@Override
	public synchronized void close() throws IOException {
		if (journal != null) {
			journal.close();
		}
	}
}
