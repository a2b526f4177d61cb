package io.virtwise.shell;

import java.nio.file.Path;
import java.util.Map;

/**
 * The user's own virtwise directory, for the shell history, {@code fix apply} backups, the compiled rules
 * and the sessions of a virtwise run from outside its checkout:
 * {@code $VIRTWISE_HOME} when set, else {@code $HOME/.virtwise}. {@code $HOME} wins over Java's
 * {@code user.home}, which comes from the password database and ignores a changed HOME (sudo -E,
 * containers, tests); {@code user.home} is the fallback only when HOME is unset.
 */
public final class UserDirectory {

	private UserDirectory() {
	}

	public static Path current() {
		return of(System.getenv(), System.getProperty("user.home"));
	}

	static Path of(Map<String, String> env, String userHome) {
		String own = env.get("VIRTWISE_HOME");
		if (own != null && !own.isBlank()) {
			return Path.of(own).toAbsolutePath().normalize();
		}
		String home = env.get("HOME");
		return Path.of(home != null && !home.isBlank() ? home : userHome, ".virtwise").toAbsolutePath().normalize();
	}

	/** Where compiled rules are kept between runs. */
	public static Path ruleCache() {
		return current().resolve("cache").resolve("rules");
	}

	/** Where {@code fix apply} keeps the domain XML it replaced. */
	public static Path backups() {
		return current().resolve("backups");
	}
}
