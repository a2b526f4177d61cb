package io.virtwise.host;

import oshi.SystemInfo;

/**
 * The one use of oshi: a CPU model name where /proc/cpuinfo has none (arm64 prints no
 * "model name"). Kept apart so that tests of the readers never depend on the real machine.
 */
public final class OshiIdentity {

	private OshiIdentity() {
	}

	/** The CPU model name, or {@code null} if oshi cannot tell or fails in any way. */
	public static String cpuModel() {
		try {
			String name = new SystemInfo().getHardware().getProcessor().getProcessorIdentifier().getName();
			return name == null || name.isBlank() ? null : name.trim();
		}
		catch (Throwable t) {
			// Native loading (JNA) can fail with linkage errors; the model then stays unknown.
			return null;
		}
	}
}
