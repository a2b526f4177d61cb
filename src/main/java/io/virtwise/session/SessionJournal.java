package io.virtwise.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.virtwise.redact.Redactor;
import io.virtwise.facts.FactsJson;

/**
 * The journal of one interactive session: JSON Lines, append-only, written and forced to disk
 * after every command, so a crash, a kill -9 or a power cut loses at most the command in flight.
 * Readable by its owner only; secrets are redacted before anything is written.
 */
public final class SessionJournal implements AutoCloseable {

	/** One entry per line, so no pretty-printing. */
	static final ObjectMapper LINE_MAPPER = FactsJson.MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT);

	private final Path file;
	private final FileChannel channel;

	private SessionJournal(Path file, FileChannel channel) {
		this.file = file;
		this.channel = channel;
	}

	public static SessionJournal create(Path file, SessionEntry header) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		FileChannel channel;
		try {
			channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
					StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException e) {
			channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
		}
		SessionJournal journal = new SessionJournal(file, channel);
		journal.append(header);
		return journal;
	}

	public Path file() {
		return file;
	}

	public synchronized void append(SessionEntry entry) throws IOException {
		String json;
		try {
			json = LINE_MAPPER.writeValueAsString(Redactor.redactJson(LINE_MAPPER.valueToTree(entry)));
		}
		catch (JsonProcessingException e) {
			throw new IOException("cannot serialise session entry", e);
		}
		ByteBuffer bytes = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
		while (bytes.hasRemaining()) {
			channel.write(bytes);
		}
		channel.force(false);
	}

	@Override
	public synchronized void close() throws IOException {
		channel.close();
	}
}
