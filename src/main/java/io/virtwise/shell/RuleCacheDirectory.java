package io.virtwise.shell;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where compiled rules are kept between runs: {@code cache/rules} in the user's virtwise directory,
 * {@code $VIRTWISE_HOME} when set, else {@code $HOME/.virtwise} ({@code $HOME} over Java's
 * {@code user.home}, which ignores a changed HOME).
 */
public final class RuleCacheDirectory {

	private RuleCacheDirectory() {
	}

	public static Path current() {
		return of(System.getenv(), System.getProperty("user.home"));
	}

	static Path of(Map<String, String> env, String userHome) {
		String own = env.get("VIRTWISE_HOME");
		String home = env.get("HOME");
		Path base = own != null && !own.isBlank() ? Path.of(own)
				: Path.of(home != null && !home.isBlank() ? home : userHome, ".virtwise");
		return base.resolve("cache").resolve("rules").toAbsolutePath().normalize();
	}
}
