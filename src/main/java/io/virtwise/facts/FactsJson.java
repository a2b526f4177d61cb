package io.virtwise.facts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.virtwise.redact.Redactor;

/** Reads and writes facts files, refusing files from a newer schema than this build knows and redacting what they hold. */
public final class FactsJson {

	/** Deeper than any facts, docker or session file nests; a hostile file stops here with one line. */
	public static final int MAX_NESTING = 1000;

	/**
	 * The most JSON tokens read from one user's file: far above a docker inspect of a thousand
	 * containers, and few enough that the tree of even {@code [{},{},...]} fits the launcher's heap.
	 */
	public static final long MAX_TOKENS = 1_000_000;

	/**
	 * Shared mapper: unknown fields are tolerated so an older file still loads after a field is added.
	 * Reading is bounded (nesting, document and string length) because its input is often a user's file.
	 */
	public static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxNestingDepth(MAX_NESTING)
				.maxDocumentLength(InputFiles.MAX_BYTES)
				.maxStringLength((int) InputFiles.MAX_BYTES)
				.build())
			.characterEscapes(new TerminalSafeEscapes())
			.build())
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	private FactsJson() {
	}

	public static Facts read(Path file) throws FactsFileException {
		JsonNode tree;
		try (InputStream in = InputFiles.open(file, "facts file")) {
			tree = readTree(in);
		}
		catch (NoSuchFileException e) {
			throw new FactsFileException("facts file " + file + " does not exist");
		}
		catch (JsonProcessingException e) {
			throw notJson(file.toString(), e);
		}
		catch (InputFiles.InputFileException e) {
			throw new FactsFileException(e.getMessage(), e);
		}
		catch (IOException e) {
			throw new FactsFileException("cannot read facts file " + file + ": " + e.getMessage(), e);
		}
		return parse(tree, file.toString());
	}

	public static Facts parse(String text, String origin) throws FactsFileException {
		JsonNode tree;
		try {
			tree = readTree(MAPPER.createParser(text), MAX_TOKENS);
		}
		catch (JsonProcessingException e) {
			throw notJson(origin, e);
		}
		catch (IOException e) {
			throw new FactsFileException("cannot read " + origin + ": " + e.getMessage(), e);
		}
		return parse(tree, origin);
	}

	/** A user's JSON as a tree, refused with {@link StreamConstraintsException} past {@link #MAX_TOKENS} tokens. */
	public static JsonNode readTree(InputStream in) throws IOException {
		return readTree(MAPPER.createParser(in), MAX_TOKENS);
	}

	static JsonNode readTree(JsonParser parser, long maxTokens) throws IOException {
		try (JsonParser counting = new Counting(parser, maxTokens)) {
			JsonNode tree = MAPPER.readTree(counting);
			return tree == null ? MAPPER.missingNode() : tree;
		}
	}

	/** Counts every token handed to the tree builder, so no node past the bound is ever made. */
	private static final class Counting extends JsonParserDelegate {
		private final long maxTokens;
		private long tokens;

		Counting(JsonParser parser, long maxTokens) {
			super(parser);
			this.maxTokens = maxTokens;
		}

		@Override
		public JsonToken nextToken() throws IOException {
			JsonToken token = super.nextToken();
			if (token != null) {
				count();
			}
			return token;
		}

		@Override
		public JsonToken nextValue() throws IOException {
			JsonToken token = super.nextValue();
			if (token != null) {
				count();
			}
			return token;
		}

		// the tree builder reads an object's keys with these, bypassing nextToken()
		@Override
		public String nextFieldName() throws IOException {
			String name = super.nextFieldName();
			count();
			return name;
		}

		@Override
		public boolean nextFieldName(com.fasterxml.jackson.core.SerializableString expected) throws IOException {
			boolean matched = super.nextFieldName(expected);
			count();
			return matched;
		}

		private void count() throws StreamConstraintsException {
			if (++tokens > maxTokens) {
				throw new StreamConstraintsException("more than " + maxTokens + " JSON tokens");
			}
		}
	}

	/**
	 * One line for JSON that cannot be read: where it broke, or which bound it passed (a bound
	 * reached has no location to report).
	 */
	public static FactsFileException notJson(String origin, JsonProcessingException e) {
		if (e instanceof StreamConstraintsException) {
			return new FactsFileException(origin + " is JSON beyond virtwise's bounds (nesting deeper than " + MAX_NESTING
					+ " levels, more than " + MAX_TOKENS + " tokens, or a value or document over "
					+ (InputFiles.MAX_BYTES >> 20) + " MiB)", e);
		}
		if (e.getCause() instanceof InputFiles.InputFileException refused) {
			return new FactsFileException(refused.getMessage(), e);
		}
		JsonLocation at = e.getLocation();
		String original = e.getOriginalMessage();
		String what = original != null && original.startsWith("Invalid UTF-8") ? " is not UTF-8 text" : " is not JSON";
		return new FactsFileException(origin + what + (at == null ? "" : " (line " + at.getLineNr() + ", column "
				+ at.getColumnNr() + ")"), e);
	}

	/** A parsed facts file: checked to be facts of a schema this build reads, then bound to the model. */
	public static Facts parse(JsonNode tree, String origin) throws FactsFileException {
		if (tree == null || !tree.isObject() || !tree.has("schemaVersion")) {
			throw new FactsFileException(origin + (tree == null || tree.isMissingNode() ? " is empty, not a virtwise facts file"
					: " is JSON but not a virtwise facts file (no schemaVersion)") + "; saved docker inspect and docker info "
					+ "output goes through 'facts import FILE...' first");
		}
		int version = tree.get("schemaVersion").asInt(-1);
		if (version > Facts.SCHEMA_VERSION) {
			throw new FactsFileException(origin + " uses facts schema " + version + ", newer than this virtwise ("
					+ Facts.SCHEMA_VERSION + "); upgrade virtwise to read it");
		}
		if (version < 1) {
			throw new FactsFileException(origin + " has an invalid schemaVersion " + tree.get("schemaVersion"));
		}
		// a facts file may have been edited or written elsewhere: what it holds is redacted again
		Redactor.redactJson(tree);
		try {
			return MAPPER.treeToValue(tree, Facts.class);
		}
		catch (JsonProcessingException e) {
			throw new FactsFileException(origin + " does not match the facts schema: " + e.getOriginalMessage(), e);
		}
	}

	public static String write(Facts facts) {
		try {
			return MAPPER.writeValueAsString(facts);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("facts could not be serialised", e);
		}
	}

	/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
	public static void writeFile(Facts facts, Path file) throws IOException {
		Path absolute = file.toAbsolutePath();
		Path dir = absolute.getParent();
		if (dir != null) {
			Files.createDirectories(dir);
		}
		Path tmp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
		try {
			Files.writeString(tmp, write(facts) + "\n");
			try {
				Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}
}
