package io.virtwise.facts;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens the files a user hands to virtwise (facts, saved inspect output, sessions, scripts, backups)
 * so that no file can hang a command or exhaust its memory: only regular files, checked before
 * opening (opening a FIFO for reading blocks until a writer appears), and never more than
 * {@link #MAX_BYTES}, checked by size first and again while reading, in case the file grows.
 */
public final class InputFiles {

	/**
	 * The largest input file read: far above a docker inspect of a thousand containers, and small
	 * enough that its parsed tree fits the launcher's heap.
	 */
	public static final long MAX_BYTES = 16L * 1024 * 1024;

	private InputFiles() {
	}

	/** Opens {@code file} for streaming; reading past {@link #MAX_BYTES} fails with {@link InputFileException}. */
	public static InputStream open(Path file, String what) throws IOException {
		check(file, what);
		return new Bounded(Files.newInputStream(file), file, what);
	}

	/** The whole file as UTF-8 text; a byte sequence that is not UTF-8 is one clear error, not a decoder's. */
	public static String readText(Path file, String what) throws IOException {
		byte[] bytes;
		try (InputStream in = open(file, what)) {
			bytes = in.readAllBytes();
		}
		return decode(bytes, file, what);
	}

	/** Strict UTF-8: binary input is named as such instead of being decoded into replacement characters. */
	public static String decode(byte[] bytes, Path file, String what) throws InputFileException {
		try {
			CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			return chars.toString();
		}
		catch (CharacterCodingException e) {
			throw new InputFileException(what + " " + file + " is not UTF-8 text (binary?)");
		}
	}

	/**
	 * Refuses what is not a regular file or is over the limit, before anything opens it. A missing
	 * file throws {@link java.nio.file.NoSuchFileException}, so callers keep their own wording for it.
	 */
	public static void check(Path file, String what) throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
		if (!attributes.isRegularFile()) {
			String kind = attributes.isDirectory() ? "a directory" : "not a regular file (a FIFO, socket or device?)";
			throw new InputFileException(what + " " + file + " is " + kind + "; virtwise reads only regular files");
		}
		if (attributes.size() > MAX_BYTES) {
			throw tooLarge(file, what);
		}
	}

	private static InputFileException tooLarge(Path file, String what) {
		return new InputFileException(what + " " + file + " is larger than the " + (MAX_BYTES >> 20) + " MiB limit for input files");
	}

	/** A file refused as input; the message is one line naming the file and the reason. */
	public static final class InputFileException extends IOException {

		public InputFileException(String message) {
			super(message);
		}
	}

	/** Counts what is read and fails once past the limit: a file may grow after it was checked. */
	private static final class Bounded extends FilterInputStream {

		private final Path file;
		private final String what;
		private long count;

		Bounded(InputStream in, Path file, String what) {
			super(in);
			this.file = file;
			this.what = what;
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b >= 0) {
				counted(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = super.read(buffer, offset, length);
			if (n > 0) {
				counted(n);
			}
			return n;
		}

		@Override
		public long skip(long n) throws IOException {
			long skipped = super.skip(n);
			counted(skipped);
			return skipped;
		}

		private void counted(long n) throws InputFileException {
			count += n;
			if (count > MAX_BYTES) {
				throw tooLarge(file, what);
			}
		}
	}
}
