package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.virtwise.LabRequirement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.shell.jline.CommandCompleter;
import org.springframework.shell.test.autoconfigure.ShellTest;

/**
 * Tab completion against the lab's real engine and libvirtd, through the shell's own completer:
 * a container and a domain (never started) made here under unique names, removed afterwards.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class NameCompletionIT {

	static final String RUN = "vwit-names-" + UUID.randomUUID().toString().substring(0, 8);
	static final String CONTAINER = RUN + "-c";
	static final String DOMAIN = RUN + "-d";
	static Path xml;
	static boolean containerMade;
	static boolean domainMade;

	@Autowired
	CommandCompleter completer;

	@BeforeAll
	static void makeAContainerAndADomain() throws Exception {
		LabRequirement.require(KvmInspectIT.run("docker", "image", "inspect", "virtwise/probe") == 0,
				"no Docker engine or no image virtwise/probe (scripts/lab-up starts the engine and builds the image)");
		LabRequirement.require(KvmInspectIT.virsh("version") == 0,
				"libvirtd is unreachable at qemu:///system (scripts/lab-up kvm starts it)");
		containerMade = KvmInspectIT.run("docker", "create", "--name", CONTAINER, "--label", "io.virtwise.test=1",
				"virtwise/probe", "true") == 0;
		assertThat(containerMade).as("docker create " + CONTAINER).isTrue();
		xml = Files.createTempFile("vwit-names", ".xml");
		Files.writeString(xml, "<domain type='qemu'><name>" + DOMAIN + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
				+ "<os><type arch='x86_64'>hvm</type></os></domain>");
		domainMade = KvmInspectIT.virsh("define", xml.toString()) == 0;
		assertThat(domainMade).as("virsh define " + DOMAIN).isTrue();
	}

	@AfterAll
	static void removeThem() throws Exception {
		if (containerMade) {
			KvmInspectIT.run("docker", "rm", "-f", CONTAINER);
		}
		if (domainMade) {
			KvmInspectIT.virsh("undefine", DOMAIN);
		}
		if (xml != null) {
			Files.deleteIfExists(xml);
		}
	}

	List<String> complete(String line) {
		return TabCompletion.complete(completer, line);
	}

	@Test
	void liveNamesCompleteWhereANameBelongs() {
		for (String line : List.of("docker show ", "docker show " + RUN, "probe docker --container ",
				"probe docker --quick --container " + RUN)) {
			assertThat(complete(line)).as(line).contains(CONTAINER).doesNotContain(DOMAIN);
		}
		for (String line : List.of("kvm show ", "kvm show " + RUN, "kvm stats --seconds 2 ", "probe kvm --guest ",
				"probe kvm-cpu --guest " + RUN, "fix apply KVM-DISK-CACHE --guest ", "fix rollback ")) {
			assertThat(complete(line)).as(line).contains(DOMAIN).doesNotContain(CONTAINER);
		}
		for (String line : List.of("probe kvm ", "probe kvm-cpu ", "probe docker ", "kvm show " + DOMAIN + " ",
				"fix apply ")) {
			assertThat(complete(line)).as(line).doesNotContain(DOMAIN, CONTAINER);
		}
	}
}
