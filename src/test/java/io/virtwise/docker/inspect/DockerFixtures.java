package io.virtwise.docker.inspect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;

/** The JSON captured from this machine's engine by fixtures/docker/capture.sh. */
public final class DockerFixtures {

	static final Path DIR = Path.of("src/test/resources/fixtures/docker");
	public static final Path CONTAINERS = DIR.resolve("containers.json");
	public static final Path INFO = DIR.resolve("info.json");
	public static final Path VERSION = DIR.resolve("version.json");
	public static final Path IMAGE = DIR.resolve("image.json");
	// capture-runline.sh: containers made with many docker run options, and a plain one
	public static final Path RUNLINE = DIR.resolve("runline.json");

	private DockerFixtures() {
	}

	static JsonNode read(Path file) {
		try {
			return FactsJson.MAPPER.readTree(file.toFile());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** One container of containers.json by name. */
	public static JsonNode container(String name) {
		return container(CONTAINERS, name);
	}

	/** One container of an inspect file by name. */
	public static JsonNode container(Path file, String name) {
		for (JsonNode c : read(file)) {
			if (c.path("Name").asText().equals("/" + name)) {
				return c;
			}
		}
		throw new IllegalArgumentException("no container " + name + " in " + file);
	}

	public static JsonNode imageConfig() {
		return read(IMAGE).get(0).path("Config");
	}
}
