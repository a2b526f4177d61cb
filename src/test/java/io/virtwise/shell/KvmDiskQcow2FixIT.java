package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

import io.virtwise.LabRequirement;
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
 * fix apply KVM-DISK-QCOW2 against the real libvirtd (scripts/lab-up kvm): the lab's untuned domain
 * (qcow2 on IDE; host-passthrough so that it can start here) with 1 MiB of known data in its image.
 * Refused while running; converted when shut off, into a new raw file with the same contents,
 * the qcow2 file byte for byte unchanged; rolled back to the original XML with the raw file kept.
 * The domain, its files and the backups are removed afterwards, even when a test fails.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KvmDiskQcow2FixIT {

	static final String NAME = "vwit-qcow2-" + UUID.randomUUID().toString().substring(0, 8);
	static Path images;
	static Path qcow2;
	static Path raw;
	static String qcow2Sha;
	static Path backupDir;
	static boolean defined;

	@Autowired
	CommandRunner runner;

	@Autowired
	BackupStore backups;

	@DynamicPropertySource
	static void backupDir(DynamicPropertyRegistry registry) throws IOException {
		backupDir = Files.createTempDirectory("vwit-backups").resolve("backups");
		registry.add("virtwise.backup-dir", () -> backupDir.toString());
	}

	@BeforeAll
	static void defineDomain() throws Exception {
		images = KvmInspectIT.labImageDir("vwit-qcow2");
		qcow2 = images.resolve(NAME + ".qcow2");
		raw = images.resolve(NAME + ".raw");
		assertThat(KvmInspectIT.run("qemu-img", "create", "-q", "-f", "qcow2", qcow2.toString(), "16M")).isZero();
		assertThat(KvmInspectIT.run("qemu-io", "-f", "qcow2", "-c", "write -P 0xa5 1M 1M", qcow2.toString())).isZero();
		// QEMU's default CPU model starts on every lab host (qemu64 exact needs svm; host-passthrough
		// aborts on an AMD host under PVM), and the CPU is not what this test is about
		String xml = KvmFixIT.withoutCpu(Files.readString(Path.of("src/test/resources/kvm-lab/untuned.xml"))
			.replace("@NAME@", NAME).replace("@DIR@", images.toString()));
		Path file = images.resolve(NAME + ".xml");
		Files.writeString(file, xml);
		assertThat(KvmInspectIT.virsh("define", file.toString())).as("virsh define " + NAME).isZero();
		defined = true;
		qcow2Sha = sha256(qcow2);
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

	static String sha256(Path file) throws Exception {
		MessageDigest sha = MessageDigest.getInstance("SHA-256");
		try (InputStream in = Files.newInputStream(file)) {
			byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;) {
				sha.update(buf, 0, n);
			}
		}
		return HexFormat.of().formatHex(sha.digest());
	}

	ShellRun apply() {
		return ShellRun.of(runner, "fix apply KVM-DISK-QCOW2 --guest " + NAME + " --yes");
	}

	@Test
	@Order(1)
	void refusedWhileTheGuestRuns() throws Exception {
		String before = KvmFixIT.dumpxmlOf(NAME, "--inactive", "--security-info");
		// PVM here: the guest starts though it never boots
		LabRequirement.require(KvmInspectIT.virsh("start", NAME) == 0, "the lab guest does not start here");
		try {
			ShellRun run = apply();
			assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.UNAVAILABLE);
			assertThat(run.err().strip()).doesNotContain("\n").contains("needs the guest shut off", "virsh shutdown " + NAME,
					"nothing was changed");
		}
		finally {
			KvmInspectIT.virsh("destroy", NAME);
		}
		assertThat(raw).doesNotExist();
		assertThat(backups.list(NAME)).isEmpty();
		assertThat(KvmFixIT.dumpxmlOf(NAME, "--inactive", "--security-info")).isEqualTo(before);
		assertThat(sha256(qcow2)).isEqualTo(qcow2Sha);
	}

	@Test
	@Order(2)
	void convertsIntoANewRawFileAndPointsTheDiskAtIt() throws Exception {
		String original = KvmFixIT.dumpxmlOf(NAME, "--inactive", "--security-info");
		assertThat(KvmFixIT.driverLine(original)).contains("type='qcow2'");

		ShellRun run = apply();
		assertThat(run.code()).as(run.err()).isZero();
		assertThat(run.out()).contains("qemu-img convert -O raw " + qcow2 + " " + raw, "Converted " + qcow2 + " to " + raw,
				"virtwise fix rollback " + NAME, "-      <source file='" + qcow2 + "'/>", "+      <source file='" + raw + "'/>",
				"shut off");

		String changed = KvmFixIT.dumpxmlOf(NAME, "--inactive", "--security-info");
		assertThat(KvmFixIT.driverLine(changed)).contains("type='raw'").contains("cache='writeback'");
		assertThat(changed).contains("<source file='" + raw + "'/>").doesNotContain(qcow2.toString())
			.contains("passwd='s3cretvn'");
		assertThat(raw).isRegularFile();
		assertThat(KvmInspectIT.run("qemu-img", "compare", "-f", "qcow2", "-F", "raw", qcow2.toString(), raw.toString()))
			.as("the raw file holds the qcow2 image's contents").isZero();
		assertThat(sha256(qcow2)).isEqualTo(qcow2Sha);
		assertThat(backups.list(NAME)).singleElement().satisfies(b -> assertThat(Files.readString(b)).isEqualTo(original));
	}

	@Test
	@Order(3)
	void rollbackRestoresTheXmlAndKeepsBothFiles() throws Exception {
		String saved = Files.readString(backups.latest(NAME).orElseThrow());
		ShellRun run = ShellRun.of(runner, "fix rollback " + NAME);
		assertThat(run.code()).as(run.err()).isZero();
		assertThat(run.out()).contains("Kept " + raw, "rm " + raw);
		assertThat(KvmFixIT.dumpxmlOf(NAME, "--inactive", "--security-info")).isEqualTo(saved);
		assertThat(raw).isRegularFile();
		assertThat(sha256(qcow2)).isEqualTo(qcow2Sha);
	}

	@Test
	@Order(4)
	void anExistingRawFileIsNeverOverwritten() throws Exception {
		String rawSha = sha256(raw);
		String before = KvmFixIT.dumpxmlOf(NAME, "--inactive", "--security-info");
		ShellRun run = apply();
		assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(run.err().strip()).doesNotContain("\n").contains(raw + " already exists", "nothing was changed");
		assertThat(sha256(raw)).isEqualTo(rawSha);
		assertThat(KvmFixIT.dumpxmlOf(NAME, "--inactive", "--security-info")).isEqualTo(before);
		assertThat(backups.list(NAME)).hasSize(1);
	}
}
