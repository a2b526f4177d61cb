package io.virtwise.advice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import io.virtwise.facts.FactsJson;

/** Facts fixtures from src/test/resources/facts, optionally with a few fields changed. */
final class Fixtures {

	static final Path DIR = Path.of("src/test/resources/facts");

	private Fixtures() {
	}

	static Facts load(String name) {
		try {
			return FactsJson.read(DIR.resolve(name));
		}
		catch (FactsFileException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The fixture with its JSON edited first, so a variant differs from the file in one visible place. */
	static Facts load(String name, Consumer<ObjectNode> edit) {
		try {
			ObjectNode tree = (ObjectNode) FactsJson.MAPPER.readTree(Files.readString(DIR.resolve(name)));
			edit.accept(tree);
			return FactsJson.parse(FactsJson.MAPPER.writeValueAsString(tree), name + " (edited)");
		}
		catch (IOException | FactsFileException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The object at a JSON pointer such as {@code /host/virt}. */
	static ObjectNode at(ObjectNode tree, String pointer) {
		return (ObjectNode) tree.at(pointer);
	}
}
