package io.virtwise.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.virtwise.importer.FactsImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file under the byte limit still cannot fill the heap with nodes: the tokens read are counted. */
class JsonTokenBoundTest {

	@TempDir
	Path dir;

	@Test
	void arraysObjectsAndKeysAreAllCounted() throws Exception {
		String arrays = "[" + "{},".repeat(60) + "{}]";
		assertThatThrownBy(() -> FactsJson.readTree(FactsJson.MAPPER.createParser(arrays), 100))
			.isInstanceOf(StreamConstraintsException.class).hasMessageContaining("more than 100 JSON tokens");
		StringBuilder keys = new StringBuilder("{");
		for (int i = 0; i < 60; i++) {
			keys.append("\"k").append(i).append("\":{},");
		}
		String object = keys.append("\"end\":0}").toString();
		assertThatThrownBy(() -> FactsJson.readTree(FactsJson.MAPPER.createParser(object), 100))
			.isInstanceOf(StreamConstraintsException.class);
		assertThat(FactsJson.readTree(FactsJson.MAPPER.createParser("[" + "{},".repeat(10) + "{}]"), 100).size())
			.isEqualTo(11);
	}

	@Test
	void aFactsFileOfSixteenMebibytesOfEmptyObjectsIsRefusedWithOneLine() throws Exception {
		StringBuilder json = new StringBuilder("{\"schemaVersion\":1,\"x\":[");
		json.append("{},".repeat((int) ((InputFiles.MAX_BYTES - 100) / 3))).append("{}]}");
		Path file = dir.resolve("wide.json");
		Files.writeString(file, json);
		assertThat(Files.size(file)).isLessThan(InputFiles.MAX_BYTES);
		assertThatThrownBy(() -> FactsJson.read(file))
			.isInstanceOf(FactsFileException.class)
			.hasMessageContaining("beyond virtwise's bounds")
			.hasMessageContaining("more than " + FactsJson.MAX_TOKENS + " tokens")
			.message().doesNotContain("\n");
	}

	@Test
	void importingSixteenMebibytesOfEmptyObjectsIsRefusedWithOneLine() throws Exception {
		Path file = dir.resolve("wide-import.json");
		Files.writeString(file, "[" + "{},".repeat((int) ((InputFiles.MAX_BYTES - 10) / 3)) + "{}]");
		assertThatThrownBy(() -> FactsImporter.importFiles(null, java.util.List.of(file)))
			.isInstanceOf(FactsFileException.class)
			.hasMessageContaining("more than " + FactsJson.MAX_TOKENS + " tokens");
	}

	@Test
	void anEmptyStreamIsStillMissing() throws Exception {
		assertThat(FactsJson.readTree(new ByteArrayInputStream(new byte[0])).isMissingNode()).isTrue();
		assertThat(FactsJson.readTree(new ByteArrayInputStream("{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8)))
			.path("a").size()).isEqualTo(2);
	}
}
