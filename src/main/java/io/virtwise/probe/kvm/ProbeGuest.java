package io.virtwise.probe.kvm;

import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.ProbeResult;
import io.virtwise.host.HostRoots;
import io.virtwise.kvm.inspect.KvmInspector;
import io.virtwise.kvm.xml.DomainXml;
import io.virtwise.kvm.xml.DomainXmlParser;
import io.virtwise.probe.core.ProbeException;
import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.probe.core.RunId;
import io.virtwise.probe.core.Scratch;
import io.virtwise.probe.core.Skipped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.w3c.dom.Document;

/**
 * A run of the throwaway {@code vwprobe-<run>} domain the guest probes boot ({@code probe kvm}
 * with fio, {@code probe kvm-cpu} with sysbench): sweeps earlier runs' leftovers
 * ({@link ProbeGuestSweeper}), reads the target domain named with {@code --guest} (only read, never
 * started or changed), picks KVM or TCG ({@link AccelChoice}), builds the XML
 * ({@link ProbeGuestDomain}) of the image ({@link ProbeGuestImage}), boots it, follows its console
 * ({@link ProbeConsoleFollower}), and removes the domain, its run directory and the host changes
 * made for it through one {@link Scratch}, on failure and Ctrl-C too. The workload itself is
 * chosen by the kernel command line the probe passes.
 */
public final class ProbeGuest {

	public static final String PREFIX = KvmInspector.PROBE_GUEST_PREFIX;
	public static final Path DEFAULT_GUEST_DIR = Path.of("/var/lib/virtwise/probe-guest");
	public static final Path DEFAULT_RUNS_DIR = Path.of("/var/lib/virtwise/probe-runs");
	/** Where libvirt's QEMU driver writes each domain's process id. */
	static final Path QEMU_PID_DIR = Path.of("/run/libvirt/qemu");
	/** Many times a TCG boot: a guest that has not reached its init by then never will. */
	static final long BOOT_SECONDS = 60;

	/** A run directory is named like its domain; whatever follows the prefix is its run id. */
	static final Pattern RUN_DIR_NAME = Pattern.compile(Pattern.quote(PREFIX) + "(.*)");
	static final String DOMAIN = "domain";
	static final String RUN_DIRECTORY = "run directory";
	static final String HOST_CHANGE = "host change";

	/** One console line with the QEMU process id, -1 until libvirt has written its pid file. */
	public interface ConsoleListener {
		void line(String line, long qemuPid);
	}

	private final ProbeGuestImage image;
	private final Path runsDir;
	private final AccelChoice accel;
	private final ProbeGuestDomain domain;
	private final Function<String, LibvirtEngine> connector;
	private final Path qemuPidDir;

	public ProbeGuest() {
		this(Optional.ofNullable(System.getenv("VIRTWISE_PROBE_GUEST_DIR")).map(Path::of).orElse(DEFAULT_GUEST_DIR),
				DEFAULT_RUNS_DIR);
	}

	public ProbeGuest(Path guestDir, Path runsDir) {
		this(new ProbeGuestImage(guestDir), runsDir, HostRoots.live(), LibvirtConnectEngine::connect, QEMU_PID_DIR);
	}

	/**
	 * @param roots the host's /proc, /sys and /dev, read for KVM and free huge pages
	 * @param connector a read-write connection to a libvirt URI (null: the default)
	 */
	public ProbeGuest(ProbeGuestImage image, Path runsDir, HostRoots roots, Function<String, LibvirtEngine> connector,
			Path qemuPidDir) {
		this.image = image;
		this.runsDir = runsDir;
		this.accel = new AccelChoice(roots);
		this.domain = new ProbeGuestDomain(roots);
		this.connector = connector;
		this.qemuPidDir = qemuPidDir;
	}

	/**
	 * Starts a run: the image holding {@code workload}, a read-write connection, the sweep of
	 * earlier runs' leftovers, the target's settings, the acceleration, and the run directory
	 * (beside the target's disk when {@code nearTargetDisk}, else under the runs directory). Close
	 * the session to remove everything it created.
	 */
	public Session open(String workload, String uri, String guest, boolean nearTargetDisk, List<String> notes,
			ProbeProgress progress) {
		ProbeGuestImage.Build build = image.locate(workload);
		LibvirtEngine libvirt = connector.apply(uri);
		Session session = null;
		boolean opened = false;
		try {
			RunId run = RunId.create();
			progress.step("sweeping leftovers of earlier runs");
			List<String> swept = new ProbeGuestSweeper(libvirt, runsDir).sweep(run);
			Target target = guest == null ? null : readTarget(libvirt, guest);
			String chosen = accel.choose(target, notes);
			Path base = nearTargetDisk && target != null && target.diskDir() != null ? target.diskDir() : runsDir;
			String name = PREFIX + run.value();
			session = new Session(libvirt, uri, run, name, base.resolve(name), base, build, target, chosen, swept);
			Path dir = session.dir;
			// registered first: a directory made halfway is still removed
			session.scratch.add(RUN_DIRECTORY, dir.toString(), () -> deleteTreeQuietly(dir));
			Files.createDirectories(dir);
			opened = true;
			return session;
		}
		catch (LibvirtEngine.Failure e) {
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "libvirt: " + e.getMessage());
		}
		catch (IOException e) {
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "probe scratch files: " + e.getMessage());
		}
		finally {
			if (!opened) {
				// a failure after the session was built: its cleanup and connection go with it
				if (session != null) {
					session.close();
				}
				else {
					libvirt.close();
				}
			}
		}
	}

	/** Kernel and initramfs of scripts/build-probe-guest holding {@code workload}: {kernel, initrd}. */
	public Path[] locateGuestImage(String workload) {
		ProbeGuestImage.Build build = image.locate(workload);
		return new Path[] { build.kernel(), build.initrd() };
	}

	/** One run's probe domain: boot it (once, or once per variant under the same name), follow it, remove it. */
	public final class Session implements AutoCloseable {

		private final LibvirtEngine libvirt;
		private final String uri;
		private final RunId run;
		private final String name;
		private final Path dir;
		private final Path base;
		private final ProbeGuestImage.Build build;
		private final Target target;
		private final String accel;
		private final List<String> swept;
		final Scratch scratch;   // package access: a test closes it as the shutdown hook would
		private final AtomicInteger hostChanges = new AtomicInteger();

		private Session(LibvirtEngine libvirt, String uri, RunId run, String name, Path dir, Path base,
				ProbeGuestImage.Build build, Target target, String accel, List<String> swept) {
			this.libvirt = libvirt;
			this.uri = uri;
			this.run = run;
			this.name = name;
			this.dir = dir;
			this.base = base;
			this.build = build;
			this.target = target;
			this.accel = accel;
			this.swept = swept;
			this.scratch = new Scratch(run, "virtwise-kvm-probe-cleanup");
		}

		public String runId() {
			return run.value();
		}

		public String name() {
			return name;
		}

		/** The run directory: console logs and scratch files, deleted with the domain. */
		public Path dir() {
			return dir;
		}

		/** Where the run directory lives: the target's disk directory or the runs directory. */
		public Path base() {
			return base;
		}

		public Target target() {
			return target;
		}

		public boolean emulated() {
			return accel.equals("qemu");
		}

		/** The target domain's name, or {@code lab} without one. */
		public String subject() {
			return target == null ? "lab" : target.facts().name();
		}

		public List<String> swept() {
			return swept;
		}

		/** The probe domain's XML, to adjust per variant before {@link #boot}. */
		public Document domain(String cmdline, Path disk, Path console, List<String> notes) {
			return domain.xml(name, accel, build, cmdline, disk, console, target, notes);
		}

		/** Defines and starts the domain; the command that does the same by hand is {@link #bootCommand}. */
		public void boot(String xml) {
			// registered again per boot, so it is removed before what this variant reserved for it; and
			// before the define, so a domain defined but refused at start is removed too
			refuseAfterClose(scratch.add(DOMAIN, name, this::removeDomainNow));
			try {
				libvirt.defineAndStart(xml);
			}
			catch (LibvirtEngine.Failure e) {
				removeDomain();
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "libvirt refused the probe guest: " + e.getMessage());
			}
			if (scratch.isClosed()) {
				// Ctrl-C while libvirt was starting it: the cleanup ran before the domain existed
				removeDomainNow();
				refuseAfterClose(false);
			}
		}

		private static void refuseAfterClose(boolean registered) {
			if (!registered) {
				throw new ProbeOutputException("the probe run was stopped");
			}
		}

		public String bootCommand(String xml) {
			return "virsh define /dev/stdin <<'XML'\n" + xml + "XML\nvirsh start " + name;
		}

		public void removeDomain() {
			scratch.removeNow(DOMAIN, name);
		}

		/** Through a connection of its own: the shutdown hook runs it too. */
		private void removeDomainNow() {
			try (LibvirtEngine own = connector.apply(uri)) {
				own.destroyAndUndefine(name);
			}
			catch (RuntimeException e) {
				// libvirtd gone: the next run sweeps it
			}
		}

		/** What the guest printed on the console file {@link #watch} followed. */
		public ProbeConsole console(Path console) {
			try {
				return ProbeConsole.parse(Files.readString(console, StandardCharsets.ISO_8859_1));
			}
			catch (IOException e) {
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "probe console " + console + ": " + e.getMessage());
			}
		}

		/** The run's report, timed from {@code startedNanos} (System.nanoTime). */
		public ProbeReport report(long startedNanos, double deadlineSeconds, List<ProbeResult> results, List<Skipped> skipped,
				List<String> notes) {
			return new ProbeReport(run.value(), subject(), (System.nanoTime() - startedNanos) / 1e9, deadlineSeconds, results, skipped,
					notes, swept);
		}

		/** A host change to undo with the rest (on failure and Ctrl-C too). */
		public void undo(Runnable r) {
			// refused once the run is closing: the caller must not make the change (its undo has just run)
			refuseAfterClose(scratch.add(HOST_CHANGE, "change " + hostChanges.incrementAndGet(), r));
		}

		/**
		 * Follows the console log, line by line to {@code listener} with the QEMU process id (-1 until
		 * known), until the guest prints {@code VWPROBE-DONE}. Fails clearly when the guest never
		 * reaches its init within {@link #BOOT_SECONDS} or its work takes longer than {@code workSeconds}.
		 */
		public void watch(Path console, long workSeconds, ConsoleListener listener) {
			try {
				new ProbeConsoleFollower(qemuPidDir.resolve(name + ".pid"), () -> libvirt.isActive(name), BOOT_SECONDS)
					.follow(console, workSeconds, listener);
			}
			catch (IOException e) {
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "probe console " + console + ": " + e.getMessage());
			}
		}

		@Override
		public void close() {
			try {
				scratch.close();
			}
			finally {
				libvirt.close();
			}
		}
	}

	/** The target domain: its facts, its parsed XML and the directory of its first file-backed disk. */
	record Target(GuestFacts facts, Document xml, Path diskDir) {
	}

	static Target readTarget(LibvirtEngine libvirt, String guest) {
		Optional<String> found = libvirt.domainXml(guest);
		if (found.isEmpty()) {
			throw new ProbeException(ProbeException.Reason.BAD_INPUT, "no libvirt domain named '" + guest + "' (see kvm ls)");
		}
		if (guest.startsWith(PREFIX)) {
			throw new ProbeException(ProbeException.Reason.BAD_INPUT, guest + " is a probe guest of virtwise itself");
		}
		String xml = found.get();
		GuestFacts facts = DomainXmlParser.parse(xml);
		Path diskDir = null;
		for (GuestDisk d : facts.disks()) {
			if ("disk".equals(d.device()) && d.source() != null && d.source().startsWith("/")) {
				Path parent = Path.of(d.source()).getParent();
				if (parent != null && Files.isDirectory(parent) && Files.isWritable(parent)) {
					diskDir = parent;
					break;
				}
			}
		}
		return new Target(facts, DomainXml.parse(xml), diskDir);
	}

	/** A file that cannot be deleted is left for the next run's sweep. */
	static void deleteTreeQuietly(Path dir) {
		try {
			Scratch.deleteTree(dir);
		}
		catch (IOException e) {
			// left for the next sweep
		}
	}
}
