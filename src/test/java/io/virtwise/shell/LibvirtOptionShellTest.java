package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.virtwise.LabRequirement;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.shell.test.autoconfigure.ShellTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The launch option --libvirt pointing at a URI no libvirt driver serves: every KVM command that
 * connects says so in one line with exit 4 and the shell goes on; a command's own --libvirt
 * still wins (libvirt's built-in test:///default driver, no daemon needed).
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class LibvirtOptionShellTest {

	static final String BAD = "bogus:///nowhere";
	static final String GUEST = "vwtest-rollback";
	static Path backups;

	@TestConfiguration
	static class Options {
		@Bean
		@Primary
		LaunchOptions badLibvirtLaunchOptions() {
			return new LaunchOptions(Path.of(".").toAbsolutePath(), Path.of("rules").toAbsolutePath(), false, true,
					List.of(), null, BAD);
		}
	}

	/** A backup for fix rollback to find, so that it gets as far as connecting. */
	@DynamicPropertySource
	static void backupDir(DynamicPropertyRegistry registry) throws IOException {
		backups = Files.createTempDirectory("vwtest-backups");
		Files.writeString(backups.resolve(GUEST + "-20260101T000000.000Z.xml"), "<domain type='kvm'><name>" + GUEST
				+ "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>");
		registry.add("virtwise.backup-dir", () -> backups.toString());
	}

	@AfterAll
	static void removeBackups() throws IOException {
		try (var files = Files.list(backups)) {
			for (Path f : files.toList()) {
				Files.delete(f);
			}
		}
		Files.delete(backups);
	}

	@Autowired
	CommandRunner runner;

	ShellRun run(String line) {
		return ShellRun.of(runner, line);
	}

	@Test
	void aBadLaunchUriIsOneClearLineForEveryKvmCommandAndTheShellGoesOn() {
		for (String command : List.of("kvm node", "kvm ls", "kvm show web", "kvm stats web --seconds 1", "fix rollback " + GUEST)) {
			ShellRun r = run(command);
			assertThat(r.code()).as(command + ": " + r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
			assertThat(r.out()).as(command).isEmpty();
			assertThat(r.err().lines()).as(command).hasSize(1).first().asString().startsWith("virtwise: ").contains(BAD);
		}
		ShellRun rules = run("rules");
		assertThat(rules.code()).as(rules.err()).isZero();
		assertThat(rules.out()).contains("kvm-io.drl");
	}

	@Test
	void adviseSaysInOneLineThatItHasNoKvmGuestsAndWhy() throws Exception {
		ShellRun text = run("advise");
		assertThat(text.code()).as(text.err()).isZero();
		assertThat(text.out().lines().filter(l -> l.contains(BAD))).singleElement().asString()
			.startsWith("No KVM guests in this advice: libvirtd is not reachable at " + BAD);
		ShellRun json = run("advise --format json");
		assertThat(json.code()).as(json.err()).isZero();
		assertThat(FactsJson.MAPPER.readTree(json.out()).get("kvmUnavailable").asText()).contains(BAD);
		assertThat(run("advise --format markdown").out()).contains("No KVM guests in this advice: ");
	}

	@Test
	void aCommandsOwnLibvirtOptionOverridesTheLaunchOption() {
		ShellRun ls = run("kvm ls --libvirt test:///default");
		LabRequirement.require(!ls.err().contains("libvirt0"), "the libvirt client library is missing (apt-get install libvirt0)");
		assertThat(ls.code()).as(ls.err()).isZero();
		assertThat(ls.out()).contains("test", "running");
		// the test driver's domain stats have its state only: every figure stays unknown
		ShellRun stats = run("kvm stats test --libvirt test:///default --seconds 1");
		assertThat(stats.code()).as(stats.err()).isZero();
		assertThat(stats.out()).contains("acceleration unknown", "block ops: unknown", "host CPU time: unknown",
				"vCPU time: unknown", "halt polling: unknown", "exits: unknown");
	}

	@Autowired
	org.springframework.shell.jline.CommandCompleter completer;

	List<String> complete(String line) {
		return TabCompletion.complete(completer, line);
	}

	@Test
	void domainNamesCompleteFromTheLinesOwnLibvirtUri() {
		assertThat(complete("kvm show --libvirt test:///default ")).contains("test");
		assertThat(complete("probe kvm --libvirt test:///default --guest ")).contains("test");
		assertThat(complete("kvm show ")).as("the launch URI serves nothing").doesNotContain("test");
	}

	@Test
	void aUriLibvirtCannotParseIsCalledMalformed() {
		for (String command : List.of("kvm ls --libvirt garbage", "kvm show web --libvirt garbage")) {
			ShellRun r = run(command);
			assertThat(r.code()).as(command + ": " + r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
			assertThat(r.err().lines()).as(command).hasSize(1).first().asString()
				.startsWith("virtwise: malformed libvirt URI 'garbage': ").doesNotContain("libvirtd running");
		}
	}
}
