package io.virtwise.shell;

import java.util.List;

import io.virtwise.docker.runline.ShellQuoting;

/**
 * Splits a command line into words the way a POSIX shell would ({@link ShellQuoting#split}), for
 * the interactive prompt, script files and replayed sessions alike; Spring Shell's own parser
 * splits on spaces, which breaks quoted arguments. An unclosed quote is a usage error.
 */
public final class CommandLineTokenizer {

	private CommandLineTokenizer() {
	}

	public static List<String> tokenize(String line) {
		try {
			return ShellQuoting.split(line).words();
		}
		catch (IllegalArgumentException e) {
			throw VirtwiseException.usage(e.getMessage());
		}
	}
}
