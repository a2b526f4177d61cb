package io.virtwise.shell;

import io.virtwise.LabRequirement;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.facts.Facts;
import io.virtwise.kvm.inspect.KvmInspector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.shell.test.autoconfigure.ShellTest;

/**
 * Against the real libvirtd (scripts/lab-up kvm): defines the lab's untuned, tuned and TCG
 * domains under unique names (never started), inspects them, and undefines them afterwards.
 * In CI an unreachable libvirtd fails the run; elsewhere the tests are skipped.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class KvmInspectIT {

	static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
	static final String UNTUNED = "vwit-untuned-" + SUFFIX;
	static final String TUNED = "vwit-tuned-" + SUFFIX;
	static final String TCG = "vwit-tcg-" + SUFFIX;
	static final String SECRETS = "vwit-secrets-" + SUFFIX;
	static final List<String> defined = new ArrayList<>();
	static Path images;

	@Autowired
	CommandRunner runner;

	@BeforeAll
	static void defineDomains() throws Exception {
		images = labImageDir("vwit-kvm");
		define("untuned.xml", UNTUNED, "qcow2");
		define("tuned.xml", TUNED, "raw");
		define("tcg.xml", TCG, "raw");
		// secrets in every place a domain holds them; never started, so its disks need not exist
		defineXml(SECRETS, Files.readString(Path.of("src/test/resources/fixtures/kvm/secrets-domain.xml"))
			.replace("<name>vw-secrets</name>", "<name>" + SECRETS + "</name>").replaceAll("\\s*<uuid>.*</uuid>", ""));
	}

	static void define(String template, String name, String format) throws Exception {
		String ext = format.equals("qcow2") ? ".qcow2" : ".raw";
		String xml = Files.readString(Path.of("src/test/resources/kvm-lab", template))
			.replace("@NAME@", name).replace("@DIR@", images.toString())
			.replace("/" + name + ".qcow2", "/" + name + ext);
		assertThat(run("qemu-img", "create", "-q", "-f", format, images.resolve(name + ext).toString(), "16M")).isZero();
		defineXml(name, xml);
	}

	static void defineXml(String name, String xml) throws Exception {
		Path file = images.resolve(name + ".xml");
		Files.writeString(file, xml);
		assertThat(virsh("define", file.toString())).as("virsh define " + name).isZero();
		defined.add(name);
	}

	@AfterAll
	static void undefineAll() throws Exception {
		for (String name : defined) {
			virsh("undefine", name);
		}
		deleteFlatDirs(images);
	}

	/**
	 * Requires the lab's libvirtd, then makes a directory for a test's disk images that QEMU,
	 * running as its own user, can read.
	 */
	static Path labImageDir(String prefix) throws IOException, InterruptedException {
		LabRequirement.require(virsh("version") == 0, "libvirtd is unreachable at qemu:///system (scripts/lab-up kvm starts it)");
		Path dir = Files.createTempDirectory(Path.of("/var/tmp"), prefix);
		dir.toFile().setExecutable(true, false);
		dir.toFile().setReadable(true, false);
		return dir;
	}

	/** Removes each directory of plain files a test made (null or missing ones are skipped). */
	static void deleteFlatDirs(Path... dirs) throws IOException {
		for (Path dir : dirs) {
			if (dir != null && Files.isDirectory(dir)) {
				try (var files = Files.list(dir)) {
					for (Path f : files.toList()) {
						Files.deleteIfExists(f);
					}
				}
				Files.deleteIfExists(dir);
			}
		}
	}

	static int virsh(String... args) throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", "qemu:///system"));
		cmd.addAll(List.of(args));
		return run(cmd.toArray(String[]::new));
	}

	static int run(String... cmd) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		if (!p.waitFor(60, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			return -1;
		}
		return p.exitValue();
	}

	ShellRun shell(String line) {
		return ShellRun.of(runner, line);
	}

	@Test
	void inspectorSeesTheDomainsAndTheRulesJudgeThem() throws Exception {
		KvmInspector.Snapshot snap = new KvmInspector(null).inspect();
		assertThat(snap.node().domainTypes()).contains("qemu", "kvm");
		assertThat(snap.node().cells()).isNotEmpty();
		assertThat(snap.guests()).extracting(g -> g.name()).contains(UNTUNED, TUNED, TCG);

		Facts facts = new Facts(Facts.SCHEMA_VERSION, "now", "it", null, List.of(),
				snap.guests().stream().filter(g -> defined.contains(g.name())).toList(), List.of(), null, snap.node());
		List<Recommendation> all = AdviceEngine.evaluate(RuleBase.load(Path.of("rules")), facts);
		List<String> found = all.stream().map(r -> r.id() + "@" + r.subject()).toList();

		assertThat(found).contains("KVM-HUGEPAGES-GUEST@" + UNTUNED, "KVM-CPU-PASSTHROUGH@" + UNTUNED,
				"KVM-DISK-CACHE@" + UNTUNED, "KVM-DISK-QCOW2@" + UNTUNED, "KVM-DISK-BUS@" + UNTUNED,
				"KVM-NIC-MODEL@" + UNTUNED, "KVM-TCG-EMULATED@" + TCG);
		// tuned as RC25482's guest was, but on this 2-CPU lab its pins cover the host's housekeeping CPU, the huge pages
		// it asks for are not reserved, and it has no network but QEMU's user-mode one: those, and nothing about its devices
		assertThat(found.stream().filter(f -> f.endsWith("@" + TUNED)).map(f -> f.substring(0, f.indexOf('@'))))
			.isSubsetOf("KVM-PIN-OVERLAP", "KVM-HUGEPAGES-SHORT", "KVM-NIC-USERMODE");
		assertThat(String.join("\n", all.stream().flatMap(r -> r.fix().stream()).toList())).doesNotContain("s3cret");
	}

	@Test
	void kvmLsAndShowThroughTheShell() {
		ShellRun ls = shell("kvm ls");
		assertThat(ls.code()).isZero();
		assertThat(ls.out()).contains(UNTUNED, TUNED, TCG, "shutoff");

		ShellRun show = shell("kvm show " + TUNED);
		assertThat(show.code()).isZero();
		assertThat(show.out()).contains("host-passthrough", "hugepages yes", "cache none", "io native",
				"emulatorpin 0-1, iothreads 1, iothreadpin {1=1}");

		ShellRun untuned = shell("kvm show " + UNTUNED + " --format json");
		assertThat(untuned.code()).isZero();
		assertThat(untuned.out()).contains("\"cpuMode\" : \"custom\"").doesNotContain("s3cret");
	}

	@Test
	void secretsInADefinedDomainReachNeitherKvmShowNorAdvise() {
		for (String line : List.of("kvm show " + SECRETS, "kvm show " + SECRETS + " --format json", "advise --format json")) {
			ShellRun run = shell(line);
			assertThat(run.code()).as(line + ": " + run.err()).isZero();
			assertThat(run.out()).as(line).doesNotContain("HUNTER2");
		}
		assertThat(shell("kvm show " + SECRETS + " --format json").out()).contains("MY_PASSWORD", "data=(redacted)",
				"DB_PASSWORD=(redacted)");
	}

	@Test
	void unknownDomainIsOneLineAndExitCode2() {
		ShellRun run = shell("kvm show no-such-domain-" + SUFFIX);
		assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(run.err().strip()).doesNotContain("\n").contains("no libvirt domain named");
	}

	@Test
	void unreachableLibvirtIsOneLineAndExitCode4() {
		ShellRun run = shell("kvm ls --libvirt qemu+unix:///system?socket=/nonexistent-" + SUFFIX);
		assertThat(run.code()).isEqualTo(ExitCodes.UNAVAILABLE);
		assertThat(run.err().strip()).doesNotContain("\n").contains("libvirtd is not reachable");
	}
}
