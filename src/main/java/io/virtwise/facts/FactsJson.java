package io.virtwise.facts;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.virtwise.redact.Redactor;

/** Reads and writes facts files, refusing files from a newer schema than this build knows and redacting what they hold. */
public final class FactsJson {

	/** Shared mapper: unknown fields are tolerated so an older file still loads after a field is added. */
	public static final ObjectMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	private FactsJson() {
	}

	public static Facts read(Path file) throws FactsFileException {
		String text;
		try {
			text = Files.readString(file);
		}
		catch (NoSuchFileException e) {
			throw new FactsFileException("facts file " + file + " does not exist");
		}
		catch (IOException e) {
			throw new FactsFileException("cannot read facts file " + file + ": " + e.getMessage(), e);
		}
		return parse(text, file.toString());
	}

	public static Facts parse(String text, String origin) throws FactsFileException {
		JsonNode tree;
		try {
			tree = MAPPER.readTree(text);
		}
		catch (JsonProcessingException e) {
			throw new FactsFileException(origin + " is not JSON (line " + e.getLocation().getLineNr() + ", column "
					+ e.getLocation().getColumnNr() + ")", e);
		}
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
