package io.virtwise.probe.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtwise.host.HostRoots;
import io.virtwise.probe.core.ProbeException;
import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.core.RunId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe guest run's boot and cleanup logic against an in-memory libvirt; the KVM ITs cover the real one. */
class ProbeGuestTest {

	private final FakeLibvirtEngine libvirt = new FakeLibvirtEngine();

	@TempDir
	Path root;

	private Path runsDir;
	private ProbeGuest probeGuest;

	@BeforeEach
	void image() throws IOException {
		Path guestDir = Files.createDirectories(root.resolve("probe-guest/build-1"));
		Files.writeString(guestDir.resolve("vmlinuz"), "kernel");
		Files.writeString(guestDir.resolve("initrd.img"), "initrd");
		Files.writeString(guestDir.resolve("workloads"), "fio sysbench\n");
		runsDir = Files.createDirectories(root.resolve("runs"));
		// a host tree without /dev/kvm: TCG, whatever the machine running the test has
		HostRoots host = HostRoots.under(Files.createDirectories(root.resolve("host")));
		probeGuest = new ProbeGuest(new ProbeGuestImage(root.resolve("probe-guest")), runsDir, host, libvirt::connect,
				Files.createDirectories(root.resolve("qemu-pids")));
	}

	private ProbeGuest.Session open(String guest) {
		return probeGuest.open("sysbench", null, guest, false, new ArrayList<>(), ProbeProgress.NONE);
	}

	private static String xml(ProbeGuest.Session session) {
		return io.virtwise.kvm.xml.DomainXml.write(session.domain("console=ttyS0", null, session.dir().resolve("console.log"),
				new ArrayList<>()));
	}

	@Test
	void aRunDirectoryThatCannotBeMadeLeavesNoConnectionOpen() throws IOException {
		Path notADirectory = Files.writeString(root.resolve("runs-file"), "a file where the runs folder should be");
		ProbeGuest broken = new ProbeGuest(new ProbeGuestImage(root.resolve("probe-guest")), notADirectory,
				HostRoots.under(Files.createDirectories(root.resolve("host"))), libvirt::connect,
				Files.createDirectories(root.resolve("qemu-pids")));
		assertThatThrownBy(() -> broken.open("sysbench", null, null, false, new ArrayList<>(), ProbeProgress.NONE))
			.isInstanceOf(ProbeException.class).hasMessageContaining("probe scratch files");
		assertThat(libvirt.open).as("the connection opened for the run is closed").isZero();
	}

	@Test
	void onceTheRunIsClosingNoGuestIsStartedAndNoHostChangeIsMade() throws IOException {
		// the shutdown hook (Ctrl-C) closes the run while the probe is still between steps
		Path pool = Files.createDirectories(root.resolve("hugepages-2048kB"));
		Files.writeString(pool.resolve("nr_hugepages"), "0");
		Files.writeString(pool.resolve("free_hugepages"), "0");
		Path mounts = Files.writeString(root.resolve("mounts"), "hugetlbfs /dev/hugepages hugetlbfs rw 0 0\n");
		HugePages hugePages = new HugePages(pool, mounts);
		try (ProbeGuest.Session session = open(null)) {
			session.scratch.close();
			assertThatThrownBy(() -> hugePages.reserve(64, session::undo)).isInstanceOf(ProbeOutputException.class);
			assertThat(Files.readString(pool.resolve("nr_hugepages")).strip()).as("nr_hugepages never raised").isEqualTo("0");
			assertThatThrownBy(() -> session.boot(xml(session))).isInstanceOf(ProbeOutputException.class);
			assertThat(libvirt.domains).as("no probe guest defined after the run closed").isEmpty();
		}
	}

	@Test
	void aCompletedRunRemovesItsDomainThenItsHostChangesThenItsDirectory() {
		List<String> order = libvirt.log;
		String name;
		Path dir;
		try (ProbeGuest.Session session = open(null)) {
			name = session.name();
			dir = session.dir();
			assertThat(dir).isDirectory();
			assertThat(session.emulated()).isTrue();
			session.undo(() -> order.add("huge pages restored"));
			session.boot(xml(session));
			assertThat(libvirt.domains).containsKey(name);
		}
		assertThat(order).containsExactly("define " + name, "remove " + name, "huge pages restored");
		assertThat(libvirt.domains).isEmpty();
		assertThat(dir).doesNotExist();
		assertThat(libvirt.open).as("every connection closed").isZero();
	}

	@Test
	void aDomainBootedPerVariantIsRemovedEachTimeAndOnceMoreAtClose() {
		String name;
		try (ProbeGuest.Session session = open(null)) {
			name = session.name();
			session.boot(xml(session));
			session.removeDomain();
			session.undo(() -> libvirt.log.add("huge pages restored"));
			session.boot(xml(session));
		}
		assertThat(libvirt.log).containsExactly("define " + name, "remove " + name, "define " + name, "remove " + name,
				"huge pages restored");
	}

	@Test
	void aRefusedBootRemovesTheDefinedDomainAndCloseTheRest() {
		libvirt.refuseStart = true;
		Path dir;
		try (ProbeGuest.Session session = open(null)) {
			dir = session.dir();
			assertThatThrownBy(() -> session.boot(xml(session))).isInstanceOf(ProbeException.class)
				.hasMessageContaining("libvirt refused the probe guest: internal error");
			assertThat(libvirt.domains).isEmpty();
		}
		assertThat(dir).doesNotExist();
	}

	@Test
	void aGuestThatStopsBeforeItsInitFailsAtOnceAndIsRemoved() throws IOException {
		Path dir;
		try (ProbeGuest.Session session = open(null)) {
			dir = session.dir();
			session.boot(xml(session));
			Path console = session.dir().resolve("console.log");
			Files.writeString(console, "Linux version 6.1\nFreeing unused kernel memory\n");
			libvirt.running.put(session.name(), false);
			long start = System.nanoTime();
			assertThatThrownBy(() -> session.watch(console, 30, (line, pid) -> {
			})).hasMessageContaining("stopped before reaching its init").hasMessageContaining("Freeing unused kernel memory");
			assertThat((System.nanoTime() - start) / 1e9).isLessThan(ProbeGuest.BOOT_SECONDS);
		}
		assertThat(libvirt.domains).isEmpty();
		assertThat(dir).doesNotExist();
	}

	@Test
	void anInterruptedRunStopsWatchingAndStillRemovesEverything() {
		Path dir;
		String name;
		try {
			try (ProbeGuest.Session session = open(null)) {
				dir = session.dir();
				name = session.name();
				session.boot(xml(session));
				Thread.currentThread().interrupt();
				assertThatThrownBy(() -> session.watch(session.dir().resolve("console.log"), 30, (line, pid) -> {
				})).hasMessage("interrupted");
			}
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(libvirt.domains).doesNotContainKey(name);
		assertThat(dir).doesNotExist();
	}

	@Test
	void theSweepRemovesOnlyDeadRunsOfProbeGuestsNeverAUsersGuest() throws IOException {
		RunId dead = RunId.create();
		dead.finished();
		RunId live = RunId.create();
		Path deadDir = Files.createDirectories(runsDir.resolve(ProbeGuest.PREFIX + dead.value()));
		Path liveDir = Files.createDirectories(runsDir.resolve(ProbeGuest.PREFIX + live.value()));
		RunId killed = RunId.create();
		killed.finished();
		Path killedDir = Files.createDirectories(runsDir.resolve(ProbeGuest.PREFIX + killed.value()));
		Path usersFile = Files.writeString(runsDir.resolve("notes.txt"), "mine");
		libvirt.define(ProbeGuest.PREFIX + dead.value(), domainWithDisk(ProbeGuest.PREFIX + dead.value(),
				deadDir.resolve("disk.img")), true);
		libvirt.define(ProbeGuest.PREFIX + live.value(), domainWithDisk(ProbeGuest.PREFIX + live.value(),
				liveDir.resolve("disk.img")), true);
		libvirt.define("db1", domainWithDisk("db1", root.resolve("images/db1.qcow2")), true);
		libvirt.define("web", domainWithDisk("web", root.resolve("images/web.qcow2")), false);
		// a user's guest and directory that only look like ours: the suffix is not a run id
		Path usersDir = Files.createDirectories(runsDir.resolve(ProbeGuest.PREFIX + "db"));
		libvirt.define(ProbeGuest.PREFIX + "db", domainWithDisk(ProbeGuest.PREFIX + "db", usersDir.resolve("disk.qcow2")), true);
		List<String> swept;
		try (ProbeGuest.Session session = open(null)) {
			swept = session.swept();
			assertThat(libvirt.domains).containsOnlyKeys(ProbeGuest.PREFIX + live.value(), "db1", "web", ProbeGuest.PREFIX + "db");
			assertThat(libvirt.running.get("db1")).isTrue();
		}
		finally {
			live.finished();
		}
		assertThat(swept).containsExactlyInAnyOrder(ProbeGuest.PREFIX + dead.value(), killedDir.toString());
		assertThat(deadDir).doesNotExist();
		assertThat(killedDir).doesNotExist();
		assertThat(liveDir).exists();
		assertThat(usersFile).exists();
		assertThat(usersDir).exists();
	}

	@Test
	void theTargetIsOnlyReadAndMustBeAUsersGuest() {
		libvirt.define("db1", domainWithDisk("db1", root.resolve("images/db1.qcow2")), false);
		try (ProbeGuest.Session session = open("db1")) {
			assertThat(session.subject()).isEqualTo("db1");
		}
		assertThat(libvirt.domains).containsOnlyKeys("db1");
		assertThat(libvirt.running.get("db1")).isFalse();
		assertThatThrownBy(() -> open("nosuch")).isInstanceOf(ProbeException.class).hasMessageContaining("no libvirt domain named");
		RunId live = RunId.create();
		String probe = ProbeGuest.PREFIX + live.value();
		libvirt.define(probe, domainWithDisk(probe, root.resolve("x.img")), true);
		assertThatThrownBy(() -> open(probe)).hasMessageContaining("probe guest of virtwise itself");
		live.finished();
		assertThat(libvirt.open).isZero();
	}

	private static String domainWithDisk(String name, Path disk) {
		return "<domain type='kvm'><name>" + name + "</name><memory unit='MiB'>512</memory><vcpu>1</vcpu><devices>"
				+ "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='" + disk + "'/>"
				+ "<target dev='vda' bus='virtio'/></disk></devices></domain>";
	}
}
