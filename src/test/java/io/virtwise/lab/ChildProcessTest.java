package io.virtwise.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChildProcessTest {

	// a shell that sends itself SIGINT: killed by it (128 + 2) unless SIGINT is ignored, then it exits 7
	static final List<String> SELF_INTERRUPT = List.of("sh", "-c", "kill -INT $$; exit 7");

	/** As a test run started in the background would start it: SIGINT ignored from the start. */
	static int exitStartedWithCtrlCIgnored(List<String> command) throws Exception {
		List<String> all = new ArrayList<>(List.of("env", "--ignore-signal=INT"));
		all.addAll(command);
		return new ProcessBuilder(all).inheritIO().start().waitFor();
	}

	@Test
	void aChildOfARunWithCtrlCIgnoredStillStopsOnCtrlC() throws Exception {
		assertThat(exitStartedWithCtrlCIgnored(SELF_INTERRUPT)).as("the ignored disposition is inherited").isEqualTo(7);
		assertThat(exitStartedWithCtrlCIgnored(ChildProcess.withDefaultCtrlC(SELF_INTERRUPT))).isEqualTo(128 + 2);
	}

	@Test
	void aJvmStartedThatWayStopsOnCtrlC(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		java.nio.file.Path source = java.nio.file.Files.writeString(dir.resolve("Waits.java"),
				"public class Waits { public static void main(String[] a) throws Exception { System.out.println(\"ready\"); "
						+ "Thread.sleep(60_000); System.exit(7); } }");
		String javaBin = ProcessHandle.current().info().command().orElse("java");
		List<String> all = new ArrayList<>(List.of("env", "--ignore-signal=INT"));
		all.addAll(ChildProcess.withDefaultCtrlC(List.of(javaBin, source.toString())));
		Process p = new ProcessBuilder(all).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		try {
			assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine()).isEqualTo("ready");
			new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor(); // env execs java: the same pid
			// an ignored SIGINT would let it sleep its minute and exit 7; the bound only keeps a failure from hanging
			assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
			assertThat(p.exitValue()).isEqualTo(128 + 2);
		}
		finally {
			p.destroyForcibly();
		}
	}
}
