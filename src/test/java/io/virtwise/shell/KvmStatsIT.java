package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.virtwise.LabRequirement;
import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.ProbeResults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.shell.test.autoconfigure.ShellTest;

/**
 * kvm stats against the real libvirtd (scripts/lab-up kvm) through virDomainListGetStats: a
 * transient type='kvm' domain (it starts on PVM, though it never boots a kernel) and a transient
 * TCG one, both diskful and running for the window; destroyed afterwards, even when a test fails,
 * which for a transient domain also removes its definition.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class KvmStatsIT {

	static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
	static final String KVM = "vwit-stats-kvm-" + SUFFIX;
	static final String TCG = "vwit-stats-tcg-" + SUFFIX;
	static final List<String> started = new ArrayList<>();
	static Path images;

	@Autowired
	CommandRunner runner;

	@Autowired
	ProbeResults probeResults;

	@BeforeAll
	static void startDomains() throws Exception {
		images = KvmInspectIT.labImageDir("vwit-stats");
		create(KVM, "kvm");
		create(TCG, "qemu");
	}

	/** The lab's small TCG domain, as type kvm or qemu, started transient. */
	static void create(String name, String type) throws Exception {
		String xml = Files.readString(Path.of("src/test/resources/kvm-lab/tcg.xml"))
			.replace("@NAME@", name).replace("@DIR@", images.toString())
			.replace("<domain type='qemu'>", "<domain type='" + type + "'>");
		assertThat(KvmInspectIT.run("qemu-img", "create", "-q", "-f", "raw", images.resolve(name + ".raw").toString(), "16M")).isZero();
		Path file = images.resolve(name + ".xml");
		Files.writeString(file, xml);
		int rc = KvmInspectIT.virsh("create", file.toString());
		if (rc == 0) {
			started.add(name);
		}
		LabRequirement.require(rc == 0, "virsh create of a type='" + type + "' domain fails here (is /dev/kvm usable?)");
	}

	@AfterAll
	static void destroyAll() throws Exception {
		for (String name : started) {
			KvmInspectIT.virsh("destroy", name);
		}
		KvmInspectIT.deleteFlatDirs(images);
	}

	List<ProbeResult> passive(String subject) {
		return probeResults.latest().stream().filter(r -> r.probe().equals("kvm-passive") && subject.equals(r.subject())).toList();
	}

	static String line(String out, String prefix) {
		return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
	}

	@Test
	void kvmGuestGivesVcpuTimeHaltPollingAndExits() {
		ShellRun run = ShellRun.of(runner, "kvm stats " + KVM + " --seconds 2");
		assertThat(run.code()).as(run.err()).isZero();
		assertThat(run.out()).contains("KVM, 1 vCPU, disks vda", "io-ops-per-s: ", "vcpu-ms-per-s: ");
		// libvirt 9.0 with QEMU 7.2 reports KVM's own counters (query-stats) for a kvm domain
		assertThat(line(run.out(), "halt polling:")).contains("haltpoll-ms-per-s: ", "haltpoll-pct-of-vcpu: ");
		assertThat(line(run.out(), "exits:")).contains("exits-per-s: ");
		List<ProbeResult> results = passive(KVM);
		assertThat(results).extracting(ProbeResult::metric)
			.contains("io-ops-per-s", "vcpu-ms-per-s", "haltpoll-ms-per-s", "exits-per-s");
		assertThat(results).allMatch(r -> Boolean.FALSE.equals(r.emulated()) && r.median() >= 0
				&& r.commands().get(0).contains("virsh domstats") && r.commands().get(0).contains(KVM));
		// a vCPU that SeaBIOS keeps spinning exits to KVM all the time
		assertThat(results).filteredOn(r -> r.metric().equals("exits-per-s")).singleElement()
			.satisfies(r -> assertThat(r.median()).isPositive());
	}

	@Test
	void tcgGuestHasNoHaltPollingOrExitsNotEvenZero() {
		ShellRun run = ShellRun.of(runner, "kvm stats " + TCG + " --seconds 1");
		assertThat(run.code()).as(run.err()).isZero();
		assertThat(run.out()).contains("TCG (emulated)", "vcpu-ms-per-s: ");
		assertThat(line(run.out(), "halt polling:")).contains("not applicable (TCG");
		assertThat(line(run.out(), "exits:")).contains("not applicable (TCG");
		List<ProbeResult> results = passive(TCG);
		assertThat(results).extracting(ProbeResult::metric).contains("io-ops-per-s", "vcpu-ms-per-s")
			.doesNotContain("haltpoll-ms-per-s", "haltpoll-pct-of-vcpu", "exits-per-s");
		assertThat(results).allMatch(r -> Boolean.TRUE.equals(r.emulated()));
	}

	@Test
	void withoutSecondsTheWindowIsFiveSeconds() {
		ShellRun run = ShellRun.of(runner, "kvm stats " + TCG);
		assertThat(run.code()).as(run.err()).isZero();
		assertThat(run.out()).startsWith(TCG + ": 5.");
	}

	@Test
	void jsonShowsUnknownAsNull() {
		ShellRun run = ShellRun.of(runner, "kvm stats " + TCG + " --seconds 1 --format json");
		assertThat(run.code()).as(run.err()).isZero();
		assertThat(run.out()).contains("\"emulated\" : true", "\"vcpuSeconds\" : 0.", "\"exits\" : null",
				"\"haltPollSeconds\" : null");
	}
}
