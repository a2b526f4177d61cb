package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.test.autoconfigure.ShellTest;

/**
 * The Docker commands and facts import through the runner, with --docker pointing at a socket
 * that does not exist: every engine command is one line and exit 4, the shell goes on, host
 * facts and advice still work, and imported captures stand in for the engine.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class DockerShellTest {

	static final String MISSING = "unix:///nonexistent.sock";
	static final String FIXTURES = "src/test/resources/fixtures/docker/";

	@TestConfiguration
	static class Options {
		@Bean
		@Primary
		LaunchOptions dockerDownLaunchOptions() {
			return new LaunchOptions(Path.of(".").toAbsolutePath(), Path.of("rules").toAbsolutePath(), false, true,
					List.of(), MISSING);
		}
	}

	@Autowired
	CommandRunner runner;

	@Autowired
	@Qualifier(NameCompletion.CONTAINERS)
	NameCompletion names;

	@Autowired
	org.springframework.shell.jline.CommandCompleter completer;

	List<String> complete(String line) {
		return TabCompletion.complete(completer, line);
	}

	@TempDir
	Path temp;

	ShellRun run(String line) {
		return ShellRun.of(runner, line);
	}

	@AfterEach
	void backToLiveFacts() {
		run("facts import --clear");
	}

	@Test
	void anEngineThatIsDownIsOneLineAndExitFourAndTheShellGoesOn() throws Exception {
		for (String command : List.of("docker engine", "docker engine --format json", "docker ls", "docker show web",
				"probe docker --quick", "probe docker --only storage --container web")) {
			ShellRun run = run(command);
			assertThat(run.code()).as(command).isEqualTo(ExitCodes.UNAVAILABLE);
			assertThat(run.out()).as(command).isEmpty();
			assertThat(run.err().lines()).as(command).hasSize(1).first().asString()
				.isEqualTo("virtwise: Docker engine not running: no socket at /nonexistent.sock (start it with "
						+ "scripts/lab-up or 'dockerd &', or point --docker / DOCKER_HOST elsewhere)");
		}
		ShellRun host = run("host");
		assertThat(host.code()).as(host.err()).isZero();
		ShellRun advise = run("advise --format json");
		assertThat(advise.code()).as(advise.err()).isZero();
		assertThat(advise.err()).isEmpty();
		assertThat(FactsJson.MAPPER.readTree(advise.out()).get("factsFrom").asText()).isEqualTo("this host");
		// so that no Docker findings do not read as well-configured containers
		String down = "Docker engine not running: no socket at /nonexistent.sock (start it with "
				+ "scripts/lab-up or 'dockerd &', or point --docker / DOCKER_HOST elsewhere)";
		assertThat(FactsJson.MAPPER.readTree(advise.out()).get("dockerUnavailable").asText()).isEqualTo(down);
		assertThat(run("advise").out()).contains("\nNo Docker containers in this advice: " + down);
	}

	@Test
	void showNeedsANameBeforeItAsksTheEngine() {
		ShellRun run = run("docker show");
		assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(run.err()).contains("docker show needs a container name");
		assertThat(run("docker ls --format yaml").code()).isEqualTo(ExitCodes.USAGE);
	}

	@Test
	void nameCompletionIsSilentlyEmptyWhenTheEngineIsDown() {
		CompletionContext context = new CompletionContext(List.of("docker", "show", ""), 2, 0, null, null);
		assertThat(names.apply(context)).isEmpty();
	}

	@Test
	void aHalfTypedArgumentCompletesToo() {
		assertThat(complete("facts import " + FIXTURES + "con")).contains(FIXTURES + "containers.json");
		assertThat(complete("docker show x")).isEmpty();
		assertThat(complete("docker show --format ")).contains("json", "text");
		assertThat(complete("rul")).contains("rules");
	}

	@Test
	void importedCapturesStandInForTheEngine() throws Exception {
		ShellRun imported = run("facts import " + FIXTURES + "containers.json " + FIXTURES + "info.json");
		assertThat(imported.code()).as(imported.err()).isZero();
		assertThat(imported.out().lines()).hasSize(3);
		assertThat(imported.out()).contains(FIXTURES + "containers.json: docker inspect, 9 containers",
				FIXTURES + "info.json: docker info, Docker 20.10.24+dfsg1", "Imported facts now: host unknown");

		ShellRun advise = run("advise --format json");
		assertThat(advise.code()).as(advise.err()).isZero();
		assertThat(FactsJson.MAPPER.readTree(advise.out()).get("factsFrom").asText())
			.isEqualTo("imported " + FIXTURES + "containers.json, " + FIXTURES + "info.json");

		Path file = temp.resolve("facts.json");
		assertThat(run("facts export " + file).code()).isZero();
		Facts exported = FactsJson.read(file);
		assertThat(exported.containers()).hasSize(9);
		assertThat(exported.docker().storageDriver()).isEqualTo("overlay2");
		assertThat(Files.readString(file)).contains("DB_PASSWORD=<redacted>").doesNotContain("hunter2-secret");

		// a second import merges; a facts file brings a host
		ShellRun more = run("facts import src/test/resources/facts/tuned-host.json");
		assertThat(more.code()).as(more.err()).isZero();
		assertThat(more.out()).contains("virtwise facts (schema 1", "host kvm-tuned, 2 containers", "host kvm-tuned, engine Docker 20.10.24+dfsg1, 11 containers");

		ShellRun cleared = run("facts import --clear");
		assertThat(cleared.out()).contains("live facts");
		assertThat(FactsJson.MAPPER.readTree(run("advise --format json").out()).get("factsFrom").asText()).isEqualTo("this host");
	}

	static final String KVM = "src/test/resources/fixtures/kvm/";

	@Test
	void libvirtXmlImportedWithDockerJsonGivesTheKvmAdviceForThatGuest() throws Exception {
		ShellRun imported = run("facts import " + KVM + "untuned-domain.xml " + FIXTURES + "containers.json " + KVM
				+ "capabilities.xml");
		assertThat(imported.code()).as(imported.err()).isZero();
		assertThat(imported.out().lines()).hasSize(4);
		assertThat(imported.out()).contains(KVM + "untuned-domain.xml: virsh dumpxml, guest vw-untuned (type kvm",
				KVM + "capabilities.xml: virsh capabilities, 2 CPUs in 1 NUMA cell",
				"Imported facts now: host unknown, engine unknown, 9 containers, 1 guest, a KVM node;");

		JsonNode advice = FactsJson.MAPPER.readTree(run("advise --format json").out());
		assertThat(advice.has("kvmUnavailable")).isFalse();
		List<String> kvm = new java.util.ArrayList<>();
		advice.get("recommendations").forEach(r -> {
			if (r.get("id").asText().startsWith("KVM-")) {
				kvm.add(r.get("id").asText() + "@" + r.get("subject").asText());
			}
		});
		// the same findings as on the live lab guest (KvmRulesTest), from the files alone
		assertThat(kvm).containsExactlyInAnyOrder("KVM-HUGEPAGES-GUEST@vw-untuned", "KVM-PIN-NO-ROOM@vw-untuned",
				"KVM-CPU-PASSTHROUGH@vw-untuned", "KVM-CPU-TOPOLOGY@vw-untuned", "KVM-DISK-CACHE@vw-untuned", "KVM-DISK-QCOW2@vw-untuned",
				"KVM-DISK-BUS@vw-untuned", "KVM-NIC-MODEL@vw-untuned", "KVM-NIC-USERMODE@vw-untuned");
		assertThat(run("advise").out()).contains("KVM-DISK-BUS", "vw-untuned");

		// one broken file: one line with its line and column, exit 3, the good file beside it not imported either
		Path broken = temp.resolve("broken.xml");
		Files.writeString(broken, "<domain type='kvm'>\n  <name>vw-broken</name>\n  <cpu>\n</domain>\n");
		ShellRun bad = run("facts import " + KVM + "tuned-domain.xml " + broken);
		assertThat(bad.code()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(bad.err().lines()).hasSize(1).first().asString()
			.startsWith("virtwise: " + broken + " is not well-formed XML (line 4, column 3): ");
		Path exported = temp.resolve("facts.json");
		assertThat(run("facts export " + exported).code()).isZero();
		assertThat(FactsJson.read(exported).guests()).extracting(g -> g.name()).containsExactly("vw-untuned");
	}

	@Test
	void anUnknownFileIsOneLineNamingItAndNothingIsImported() throws Exception {
		Path network = temp.resolve("network.json");
		Files.writeString(network, "[{\"Name\": \"bridge\", \"Id\": \"4f1c\", \"Driver\": \"bridge\", \"IPAM\": {}}]");
		ShellRun unknown = run("facts import " + FIXTURES + "containers.json " + network);
		assertThat(unknown.code()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(unknown.err().lines()).hasSize(1).first().asString()
			.startsWith("virtwise: " + network + " is a JSON array, but not of containers or images");
		ShellRun notJson = run("facts import README.md");
		assertThat(notJson.code()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(notJson.err()).contains("README.md is not JSON");
		ShellRun foreignXml = run("facts import pom.xml");
		assertThat(foreignXml.code()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(foreignXml.err()).contains("pom.xml has root element <project> (line 2, column 1), neither <domain>");
		assertThat(run("facts import").code()).isEqualTo(ExitCodes.USAGE);
		JsonNode advice = FactsJson.MAPPER.readTree(run("advise --format json").out());
		assertThat(advice.get("factsFrom").asText()).isEqualTo("this host");
	}
}
