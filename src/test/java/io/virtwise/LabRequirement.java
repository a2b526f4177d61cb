package io.virtwise;

import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need the lab's daemons: in CI (CI=true) a missing Docker engine,
 * libvirtd or probe image is a failure; on a developer's machine without the lab the test is
 * skipped with the reason and the fix printed, since Failsafe shows an aborted class only as
 * "Tests run: 0".
 */
public final class LabRequirement {

	private LabRequirement() {
	}

	public static boolean inCi() {
		return "true".equalsIgnoreCase(System.getenv("CI"));
	}

	/** Fails in CI, skips elsewhere; {@code missing} says what is absent and how to get it. */
	public static void unavailable(String missing, Throwable cause) {
		if (inCi()) {
			throw new AssertionError("CI=true, but " + missing, cause);
		}
		System.err.println("skipped: " + missing);
		Assumptions.abort(missing);
	}

	public static void require(boolean available, String missing) {
		if (!available) {
			unavailable(missing, null);
		}
	}
}
