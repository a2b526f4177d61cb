package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.shell.test.autoconfigure.ShellTest;

/**
 * libvirtd restarted in the middle of a command: {@code kvm stats} is sampling a running guest
 * when the lab's libvirtd is killed and started again (scripts/lab-up kvm). The command ends in
 * one line, the shell goes on, and the next commands reconnect on their own; the guest, whose
 * QEMU outlives libvirtd, is still there.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class LibvirtdRestartIT {

	static final String NAME = "vwit-restart-" + UUID.randomUUID().toString().substring(0, 8);
	static Path images;
	static boolean started;

	@Autowired
	CommandRunner runner;

	@BeforeAll
	static void startDomain() throws Exception {
		images = KvmInspectIT.labImageDir("vwit-restart");
		String xml = Files.readString(Path.of("src/test/resources/kvm-lab/tcg.xml"))
			.replace("@NAME@", NAME).replace("@DIR@", images.toString());
		assertThat(KvmInspectIT.run("qemu-img", "create", "-q", "-f", "raw", images.resolve(NAME + ".raw").toString(), "16M")).isZero();
		Path file = images.resolve(NAME + ".xml");
		Files.writeString(file, xml);
		started = KvmInspectIT.virsh("create", file.toString()) == 0;
		assertThat(started).as("virsh create " + NAME).isTrue();
	}

	@AfterAll
	static void destroy() throws Exception {
		startLibvirtd();
		if (started) {
			KvmInspectIT.virsh("destroy", NAME);
		}
		KvmInspectIT.deleteFlatDirs(images);
	}

	@Test
	void aRestartMidCommandIsOneLineAndTheNextCommandsReconnect() throws Exception {
		// the shell's shared connection exists before the restart
		ShellRun before = ShellRun.of(runner, "kvm ls");
		assertThat(before.code()).as(before.err()).isZero();
		assertThat(before.out()).contains(NAME);

		CompletableFuture<ShellRun> stats = CompletableFuture.supplyAsync(() -> ShellRun.of(runner, "kvm stats " + NAME + " --seconds 6"));
		Thread.sleep(2000);
		assertThat(stats).as("kvm stats is still in its window").isNotDone();
		// callbacks handed to libvirt through JNA must survive a collection: libvirtd going away calls them
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		assertThat(KvmInspectIT.run("pkill", "-x", "libvirtd")).isZero();
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (KvmInspectIT.run("pgrep", "-x", "libvirtd") == 0 && System.nanoTime() < until) {
			Thread.sleep(200);
		}
		startLibvirtd();

		ShellRun during = stats.get(60, TimeUnit.SECONDS);
		assertThat(during.code()).as(during.out() + during.err()).isEqualTo(ExitCodes.UNAVAILABLE);
		assertThat(during.err().strip().lines()).as(during.err()).hasSize(1);
		assertThat(during.err()).contains("libvirtd").contains(NAME);

		ShellRun after = ShellRun.of(runner, "kvm ls");
		assertThat(after.code()).as(after.err()).isZero();
		assertThat(after.out()).contains(NAME);
		ShellRun again = ShellRun.of(runner, "kvm stats " + NAME + " --seconds 1");
		assertThat(again.code()).as(again.err()).isZero();
		assertThat(again.out()).contains("vcpu-ms-per-s: ");
	}

	static void startLibvirtd() throws Exception {
		Process p = new ProcessBuilder(Path.of("scripts/lab-up").toAbsolutePath().toString(), "kvm").inheritIO().start();
		assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("scripts/lab-up kvm finished").isTrue();
		assertThat(p.exitValue()).as("scripts/lab-up kvm").isZero();
	}
}
