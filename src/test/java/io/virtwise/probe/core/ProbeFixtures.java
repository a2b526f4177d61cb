package io.virtwise.probe.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real tool output captured once in virtwise/probe on the lab machine. */
public final class ProbeFixtures {

	static final Path DIR = Path.of("src/test/resources/fixtures/probe");

	private ProbeFixtures() {
	}

	public static String read(String name) {
		try {
			return Files.readString(DIR.resolve(name));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
