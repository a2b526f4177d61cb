package io.virtwise.shell;

import io.virtwise.LabRequirement;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.virtwise.kvm.fix.BackupStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.shell.test.autoconfigure.ShellTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * fix apply / fix rollback against the real libvirtd (scripts/lab-up kvm): defines the lab's
 * untuned domain under a unique name (never started), changes its disk cache through the shell,
 * rolls it back, and undefines it afterwards, even when a test fails. In CI an unreachable
 * libvirtd fails the run; elsewhere the tests are skipped.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KvmFixIT {

	static final String NAME = "vwit-fix-" + UUID.randomUUID().toString().substring(0, 8);
	static Path images;
	static Path backupDir;
	static boolean defined;

	@Autowired
	CommandRunner runner;

	@Autowired
	BackupStore backups;

	@Autowired
	io.virtwise.probe.core.ProbeResults probeResults;

	@DynamicPropertySource
	static void backupDir(DynamicPropertyRegistry registry) throws IOException {
		backupDir = Files.createTempDirectory("vwit-backups").resolve("backups");
		registry.add("virtwise.backup-dir", () -> backupDir.toString());
	}

	@BeforeAll
	static void defineDomain() throws Exception {
		images = KvmInspectIT.labImageDir("vwit-fix");
		String xml = Files.readString(Path.of("src/test/resources/kvm-lab/untuned.xml"))
			.replace("@NAME@", NAME).replace("@DIR@", images.toString());
		assertThat(KvmInspectIT.run("qemu-img", "create", "-q", "-f", "qcow2", images.resolve(NAME + ".qcow2").toString(), "16M")).isZero();
		Path file = images.resolve(NAME + ".xml");
		Files.writeString(file, xml);
		assertThat(KvmInspectIT.virsh("define", file.toString())).as("virsh define " + NAME).isZero();
		defined = true;
	}

	@AfterAll
	static void undefine() throws Exception {
		if (defined) {
			KvmInspectIT.virsh("destroy", NAME);
			KvmInspectIT.virsh("undefine", NAME);
		}
		KvmInspectIT.deleteFlatDirs(images, backupDir);
		if (backupDir != null) {
			Files.deleteIfExists(backupDir.getParent());
		}
	}

	/**
	 * Starts a lab guest. Where this host's KVM refuses its CPU, it drops the {@code <cpu>} element for
	 * QEMU's default model and starts it again. That happens with host-passthrough on an AMD host under
	 * PVM, where QEMU aborts with "failed to set MSR 0x10a". The default model has started on every
	 * host the lab has run on (KvmStatsIT's domain has no {@code <cpu>}).
	 */
	private static int startLabGuest(String name, Path dir) throws Exception {
		if (KvmInspectIT.virsh("start", name) == 0) {
			return 0;
		}
		Path file = dir.resolve(name + "-default-cpu.xml");
		Files.writeString(file, withoutCpu(dumpxmlOf(name, "--inactive", "--security-info")));
		if (KvmInspectIT.virsh("define", file.toString()) != 0) {
			return -1;
		}
		return KvmInspectIT.virsh("start", name);
	}

	/**
	 * The domain XML with QEMU's default CPU model: its {@code <cpu>} element, empty or not, left out
	 * (the word boundary keeps {@code <cputune>}, which comes before it).
	 */
	static String withoutCpu(String domainXml) {
		return domainXml.replaceFirst("(?s)<cpu\\b(?:[^>]*/>|[^>]*>.*?</cpu>)", "");
	}

	static String dumpxml(String... flags) throws Exception {
		return dumpxmlOf(NAME, flags);
	}

	static String dumpxmlOf(String name, String... flags) throws Exception {
		List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", "qemu:///system", "dumpxml"));
		cmd.addAll(List.of(flags));
		cmd.add(name);
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes());
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(out).isZero();
		return out;
	}

	/** The disk's driver line, e.g. {@code <driver name='qemu' type='qcow2' cache='writeback'/>}. */
	static String driverLine(String xml) {
		return xml.lines().map(String::strip).filter(l -> l.startsWith("<driver name='qemu'")).findFirst().orElse("");
	}

	ShellRun shell(String line) {
		return ShellRun.of(runner, line);
	}

	@Test
	@Order(1)
	void withoutYesOneShotRefusesAndChangesNothing() throws Exception {
		String before = dumpxml("--inactive");
		ShellRun run = shell("fix apply KVM-DISK-CACHE --guest " + NAME);
		assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.USAGE);
		assertThat(run.err().strip()).doesNotContain("\n").contains("--yes", "nothing was changed");
		assertThat(dumpxml("--inactive")).isEqualTo(before);
		assertThat(backups.list(NAME)).isEmpty();
	}

	@Test
	@Order(2)
	void applyThenRollback() throws Exception {
		String original = dumpxml("--inactive", "--security-info");
		assertThat(driverLine(original)).contains("cache='writeback'");

		ShellRun apply = shell("fix apply KVM-DISK-CACHE --guest " + NAME + " --yes");
		assertThat(apply.code()).as(apply.err()).isZero();
		assertThat(apply.out()).contains("-      <driver name='qemu' type='qcow2' cache='writeback'/>",
				"+      <driver name='qemu' type='qcow2' cache='none' io='native'/>",
				"virtwise fix rollback " + NAME, "virsh define " + backupDir, "shut off")
			.doesNotContain("s3cretvn");
		// the host commands come from the recommendation's typed steps: the restart is listed, the advice's own backup line and
		// "virsh edit" heading (fix apply saves its own backup and defines the edit itself) are not
		assertThat(apply.out()).contains("Host commands (printed, not run; run the ones that apply yourself):\n",
				"  virsh shutdown " + NAME + " && virsh start " + NAME + "\n")
			.doesNotContain("virsh dumpxml --inactive --security-info", "# virsh edit ");

		String changed = dumpxml("--inactive", "--security-info");
		assertThat(driverLine(changed)).contains("cache='none'", "io='native'");
		// the VNC password survived the round trip through redacted facts
		assertThat(changed).contains("passwd='s3cretvn'");

		List<Path> saved = backups.list(NAME);
		assertThat(saved).hasSize(1);
		assertThat(Files.readString(saved.get(0))).isEqualTo(original);
		// the rollback line printed before asking names the very file written, not one stamped a moment earlier
		assertThat(apply.out()).contains("Backup of the current XML: " + saved.get(0) + "\n", "(or: virsh define " + saved.get(0) + ")");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved.get(0)))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backupDir))).isEqualTo("rwx------");

		ShellRun advise = shell("advise --format json");
		assertThat(advise.code()).as(advise.err()).isZero();
		assertThat(advise.out()).contains("KVM-DISK-BUS");
		assertThat(adviceIds(advise.out())).doesNotContain("KVM-DISK-CACHE@" + NAME).contains("KVM-DISK-BUS@" + NAME);

		ShellRun again = shell("fix apply KVM-DISK-CACHE --guest " + NAME + " --yes");
		assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(again.err()).contains("not among the current recommendations");

		ShellRun rollback = shell("fix rollback " + NAME);
		assertThat(rollback.code()).as(rollback.err()).isZero();
		assertThat(rollback.out()).contains(saved.get(0).toString());
		String restored = dumpxml("--inactive", "--security-info");
		assertThat(driverLine(restored)).isEqualTo(driverLine(original));
		assertThat(restored).isEqualTo(original);
	}

	@Test
	@Order(3)
	void nonKvmAndUnknownAreRefused() {
		ShellRun none = shell("fix apply NO-SUCH-ID --guest " + NAME + " --yes");
		assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
		ShellRun host = shell("fix apply HOST-HUGEPAGES-PLAN --yes");
		assertThat(host.code()).isEqualTo(ExitCodes.USAGE);
		ShellRun rollback = shell("fix rollback no-such-guest-" + NAME);
		assertThat(rollback.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(rollback.err()).contains("no backup");
	}

	@Test
	@Order(4)
	void kvmStatsNeedsARunningKnownGuest() throws Exception {
		ShellRun off = shell("kvm stats " + NAME + " --seconds 1");
		assertThat(off.code()).isEqualTo(ExitCodes.UNAVAILABLE);
		assertThat(off.err().strip()).doesNotContain("\n").contains("shutoff", "running guest");
		ShellRun unknown = shell("kvm stats no-such-" + NAME);
		assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(unknown.err().strip()).isEqualTo("virtwise: no libvirt domain named 'no-such-" + NAME + "' (see kvm ls)");
	}

	@Test
	@Order(5)
	void kvmStatsOnAStartedGuestLeavesItRunningAndRecordsFigures() throws Exception {
		// qemu64 with match='exact' needs svm, which the lab hosts lack: the passthrough fix makes it startable on some.
		ShellRun cpu = shell("fix apply KVM-CPU-PASSTHROUGH --guest " + NAME + " --yes");
		assertThat(cpu.code()).as(cpu.err()).isZero();
		assertThat(dumpxml("--inactive")).contains("<cpu mode='host-passthrough'");
		// PVM here: the guest starts but never boots a kernel; its counters are still libvirt's to read.
		LabRequirement.require(startLabGuest(NAME, images) == 0, "the lab guest does not start here");
		try {
			String live = dumpxml();
			ShellRun running = shell("fix apply KVM-DISK-CACHE --guest " + NAME + " --yes");
			assertThat(running.code()).as(running.err()).isZero();
			assertThat(running.out()).contains("is running and was not touched", "takes effect at the next cold boot (virsh shutdown + start)");
			assertThat(driverLine(dumpxml("--inactive"))).contains("cache='none'");
			assertThat(driverLine(dumpxml())).isEqualTo(driverLine(live)).contains("cache='writeback'");

			ShellRun stats = shell("kvm stats " + NAME + " --seconds 1");
			assertThat(stats.code()).as(stats.err()).isZero();
			assertThat(stats.out()).contains("io-ops-per-s", "cpu-us-per-io", "hda");
			assertThat(dumpxml()).contains("<domain type='kvm' id=");
			assertThat(probeResults.latest()).anyMatch(r -> r.probe().equals("kvm-passive") && NAME.equals(r.subject())
					&& r.metric().equals("io-ops-per-s"));
		}
		finally {
			KvmInspectIT.virsh("destroy", NAME);
		}
		ShellRun back = shell("fix rollback " + NAME);
		assertThat(back.code()).as(back.err()).isZero();
		assertThat(driverLine(dumpxml("--inactive"))).contains("cache='writeback'");
	}

	/** id@subject of each recommendation in advise's JSON. */
	static List<String> adviceIds(String json) throws IOException {
		var tree = io.virtwise.facts.FactsJson.MAPPER.readTree(json);
		List<String> out = new ArrayList<>();
		tree.findParents("id").forEach(n -> {
			if (n.has("subject")) {
				out.add(n.get("id").asText() + "@" + n.get("subject").asText());
			}
		});
		return out;
	}
}
