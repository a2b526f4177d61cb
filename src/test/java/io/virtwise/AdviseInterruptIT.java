package io.virtwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.virtwise.shell.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during a slow rule evaluation of the packaged jar: exit 130, and not a line of advice. */
class AdviseInterruptIT {

	@TempDir
	Path rules;

	@Test
	void ctrlCDuringASlowRuleStopsAdviceAndPrintsNothingOfIt() throws Exception {
		for (File drl : new File("rules").listFiles((d, name) -> name.endsWith(".drl"))) {
			Files.copy(drl.toPath(), rules.resolve(drl.getName()));
		}
		Files.writeString(rules.resolve("zz-slow.drl"), """
				package virtwise.test.slow;
				import io.virtwise.facts.HostFacts;

				rule "takes its time"
				when
				    HostFacts()
				then
				    System.err.println("slow rule running");
				    long until = System.nanoTime() + 120_000_000_000L;
				    while (System.nanoTime() < until) {
				        Math.sqrt(until); // busy, and deaf to interrupts, like a rule stuck in a loop of its own
				    }
				end
				""");
		// SIGINT at its default in the child even when this test run was started with it ignored (a background job)
		Process p = new ProcessBuilder("env", "--default-signal=INT", "java", "-Dvirtwise.home=.", "-jar", "target/virtwise.jar",
				"--rules", rules.toString(), "advise", "--facts", "src/test/resources/shell/kvm-no-hugepages.json")
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
		CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p));
		BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = err.readLine()) != null && !line.equals("slow rule running")) {
			// keep reading
		}
		assertThat(line).as("the slow rule started").isNotNull();

		new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
		StringBuilder rest = new StringBuilder();
		while ((line = err.readLine()) != null) {
			rest.append(line).append('\n');
		}
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(rest.toString()).isEqualTo(ExitCodes.INTERRUPTED);
		assertThat(out.get()).as("no partial advice").isEmpty();
		assertThat(rest.toString().strip().lines()).containsExactly("virtwise: interrupted: no advice was given");
	}

	private static String read(Process p) {
		try {
			return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
