package io.virtwise.session;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

import io.virtwise.facts.Facts;

/**
 * Records the interactive session as it happens: the journal is created with the first command
 * and every command is appended and forced to disk before the next prompt.
 */
public final class SessionRecorder implements AutoCloseable {

	private final Path folder;
	private final Callable<String> rulesHash;
	private final String version;
	private static final int MAX_NAME_TRIES = 100;

	private SessionJournal journal;
	private int seq;
	private boolean failed;

	/** @param rulesHash the rule base's content hash for the header; it may throw (a broken rule base), which records none */
	public SessionRecorder(Path folder, Callable<String> rulesHash, String version) {
		this.folder = folder;
		this.rulesHash = rulesHash;
		this.version = version;
	}

	public Path folder() {
		return folder;
	}

	/** The journal of this session, or {@code null} before the first command. */
	public synchronized Path currentFile() {
		return journal == null ? null : journal.file();
	}

	/** One command: its line, what it printed, its exit status and time, and the facts and recommendation ids it used (either may be null). */
	public synchronized void record(String line, String output, int exit, long millis, Facts facts, List<String> recommendations) {
		if (failed) {
			return;
		}
		try {
			open();
			journal.append(SessionEntry.command(++seq, now(), line, exit, millis, output, facts, recommendations));
		}
		catch (IOException e) {
			failed = true; // say it once, keep the shell going
			System.err.println("virtwise: session recording stopped: " + why(e));
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
		String hash;
		try {
			hash = rulesHash.call();
		}
		catch (Exception e) {
			hash = null; // a broken rule base is itself recorded by the commands that hit it
		}
		SessionEntry header = SessionEntry.header(version, hash, host, started);
		// a file already at the name (planted, or a clock set back) is left alone: the next free name is used
		for (int n = 1;; n++) {
			Path file = folder.resolve(stem + (n == 1 ? "" : "-" + n) + SessionStore.SUFFIX);
			try {
				journal = SessionJournal.create(file, header);
				return;
			}
			catch (FileAlreadyExistsException e) {
				if (n == MAX_NAME_TRIES) {
					throw new IOException(MAX_NAME_TRIES + " journal names in " + folder + " are taken already, the last " + file, e);
				}
			}
		}
	}

	/** The reason in words: the file exceptions' own messages are only the path. */
	static String why(IOException e) {
		if (e instanceof java.nio.file.AccessDeniedException a) {
			return "permission denied: " + a.getFile();
		}
		if (e instanceof java.nio.file.NoSuchFileException n) {
			return "no such file or directory: " + n.getFile();
		}
		if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
			return "cannot write " + f.getFile() + " (" + e.getClass().getSimpleName() + ")";
		}
		return e.getMessage();
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
