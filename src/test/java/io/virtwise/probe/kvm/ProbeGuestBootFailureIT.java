package io.virtwise.probe.kvm;

import io.virtwise.kvm.inspect.LibvirtConnector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

import io.virtwise.LabRequirement;
import io.virtwise.probe.core.ProbeException;
import io.virtwise.probe.core.ProbeProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

/**
 * A probe guest that never reaches its init: the lab's real kernel with an initramfs that is
 * junk, booted under TCG by the real libvirtd. The probe must say so in one line as soon as the
 * kernel gives up (not after the 60 s boot deadline), and leave no domain and no run directory.
 */
class ProbeGuestBootFailureIT {

	Path guestDir;
	Path runsDir;

	@BeforeEach
	void brokenGuestImage() throws Exception {
		Path kernel;
		try {
			Connect c = LibvirtConnector.connect(null);
			c.close();
			kernel = new ProbeGuest().locateGuestImage(GuestIoProbe.WORKLOAD)[0];
		}
		catch (Exception e) {
			LabRequirement.unavailable("libvirtd or the probe guest is missing (scripts/lab-up kvm): " + e.getMessage(), e);
			return;
		}
		// QEMU runs as its own user: the directories must be searchable by it, as /var/lib/virtwise's are
		var searchable = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));
		guestDir = Files.createTempDirectory(Path.of("/var/tmp"), "vwit-broken-guest", searchable);
		runsDir = Files.createTempDirectory(Path.of("/var/tmp"), "vwit-broken-runs", searchable);
		Path build = Files.createDirectories(guestDir.resolve("junk-initramfs"));
		Files.copy(kernel, build.resolve("vmlinuz"));
		byte[] junk = new byte[64 * 1024];
		Arrays.fill(junk, (byte) 0x5a);
		Files.write(build.resolve("initrd.img"), junk);
		// the same workloads as the real build: the probe picks a build by what it holds
		Files.copy(kernel.resolveSibling("workloads"), build.resolve("workloads"));
	}

	@AfterEach
	void removeTemp() throws Exception {
		for (Path root : new Path[] { guestDir, runsDir }) {
			if (root != null && Files.exists(root)) {
				try (Stream<Path> s = Files.walk(root)) {
					s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
				}
			}
		}
	}

	@Test
	void aGuestThatNeverReachesItsInitFailsInOneLineAtTheKernelPanicAndLeavesNothing() throws Exception {
		GuestIoProbe probe = new GuestIoProbe(new ProbeGuest(guestDir, runsDir));
		long start = System.nanoTime();
		Throwable thrown = catchThrowable(() -> probe.run(new GuestIoProbe.Options(null, true, null, 1, "16", 1), ProbeProgress.NONE));
		double seconds = (System.nanoTime() - start) / 1e9;

		assertThat(thrown).isInstanceOf(ProbeException.class);
		assertThat(thrown.getMessage()).startsWith("the probe guest's kernel panicked before reaching its init: Kernel panic - not syncing")
			.doesNotContain("\n");
		assertThat(seconds).as("detected at the panic, not at the 60 s boot deadline").isLessThan(ProbeGuest.BOOT_SECONDS);

		try (Stream<Path> left = Files.list(runsDir)) {
			assertThat(left).as("run directories left").isEmpty();
		}
		Connect conn = LibvirtConnector.connect(null);
		try {
			assertThat(Arrays.stream(conn.listAllDomains(0)).map(d -> {
				try {
					return d.getName();
				}
				catch (org.libvirt.LibvirtException e) {
					return "?";
				}
			}).filter(n -> n.startsWith(ProbeGuest.PREFIX) && n.endsWith("-" + ProcessHandle.current().pid())))
				.as("probe domains of this test process").isEmpty();
		}
		finally {
			conn.close();
		}
	}
}
