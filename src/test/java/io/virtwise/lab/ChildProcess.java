package io.virtwise.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * Commands for child processes that a test interrupts with SIGINT. A background job (mvn ... &,
 * nohup, some CI runners) starts with SIGINT ignored, every child inherits that, and the JVM then
 * installs no Ctrl-C handler at all: the test would wait for a Ctrl-C that never arrives. env puts
 * SIGINT back to its default for the child only.
 */
public final class ChildProcess {

	private ChildProcess() {
	}

	public static List<String> withDefaultCtrlC(List<String> command) {
		List<String> all = new ArrayList<>(List.of("env", "--default-signal=INT"));
		all.addAll(command);
		return all;
	}
}
