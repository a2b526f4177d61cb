package io.virtwise.probe.kvm;

import io.virtwise.kvm.xml.DomainXml;
import io.virtwise.kvm.xml.DomainXmlParser;
import io.virtwise.kvm.inspect.KvmInspector;
import io.virtwise.kvm.inspect.LibvirtConnector;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.probe.core.ProbeException;
import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.probe.core.Skipped;
import io.virtwise.probe.core.RunId;
import io.virtwise.probe.core.Scratch;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The throwaway {@code vwprobe-<run>} domain the guest probes boot ({@code probe kvm} with fio,
 * {@code probe kvm-cpu} with sysbench): finds the probe guest's kernel and initramfs
 * (scripts/build-probe-guest), reads the target domain named with {@code --guest} (only read,
 * never started or changed), picks KVM or TCG, builds the domain XML with direct kernel boot and
 * the serial console in a file, boots it, follows the console until the guest's init is done,
 * and removes the domain and its run directory afterwards, on failure and Ctrl-C too (shutdown
 * hook); leftovers of killed runs are swept first. The workload itself is chosen by the kernel
 * command line the probe passes.
 */
public final class ProbeGuest {

	public static final String PREFIX = KvmInspector.PROBE_GUEST_PREFIX;
	public static final Path DEFAULT_GUEST_DIR = Path.of("/var/lib/virtwise/probe-guest");
	public static final Path DEFAULT_RUNS_DIR = Path.of("/var/lib/virtwise/probe-runs");
	/** A run directory is named like its domain; whatever follows the prefix is its run id. */
	static final Pattern RUN_DIR_NAME = Pattern.compile(Pattern.quote(PREFIX) + "(.*)");
	static final String DOMAIN = "domain";
	static final String RUN_DIRECTORY = "run directory";
	static final String HOST_CHANGE = "host change";

	/** Many times a TCG boot: a guest that has not reached its init by then never will. */
	static final long BOOT_SECONDS = 60;

	/** What a Linux kernel prints when it gives up, whatever the cause (no init, no root, an oops). */
	static final String KERNEL_PANIC = "Kernel panic - not syncing";

	/** One console line with the QEMU process id, -1 until libvirt has written its pid file. */
	public interface ConsoleListener {
		void line(String line, long qemuPid);
	}

	private final Path guestDir;
	private final Path runsDir;

	public ProbeGuest() {
		this(Optional.ofNullable(System.getenv("VIRTWISE_PROBE_GUEST_DIR")).map(Path::of).orElse(DEFAULT_GUEST_DIR),
				DEFAULT_RUNS_DIR);
	}

	public ProbeGuest(Path guestDir, Path runsDir) {
		this.guestDir = guestDir;
		this.runsDir = runsDir;
	}

	/**
	 * Starts a run: the image holding {@code workload}, a read-write connection, the sweep of
	 * earlier runs' leftovers, the target's settings, the acceleration, and the run directory
	 * (beside the target's disk when {@code nearTargetDisk}, else under the runs directory). Close
	 * the session to remove everything it created.
	 */
	public Session open(String workload, String uri, String guest, boolean nearTargetDisk, List<String> notes,
			ProbeProgress progress) {
		Path[] image = locateGuestImage(workload);
		Connect conn = LibvirtConnector.connectReadWrite(uri);
		Session session = null;
		try {
			RunId run = RunId.create();
			progress.step("sweeping leftovers of earlier runs");
			List<String> swept = sweepLeftovers(conn, run);
			Target target = guest == null ? null : readTarget(conn, guest);
			String accel = chooseAccel(target, notes);
			Path base = nearTargetDisk && target != null && target.diskDir() != null ? target.diskDir() : runsDir;
			String name = PREFIX + run.value();
			session = new Session(conn, uri, run, name, base.resolve(name), base, image, target, accel, swept);
			Files.createDirectories(session.dir);
			Path dir = session.dir;
			session.scratch.add(RUN_DIRECTORY, dir.toString(), () -> deleteTreeQuietly(dir));
			return session;
		}
		catch (LibvirtException e) {
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "libvirt: " + LibvirtConnector.oneLine(e.getMessage()));
		}
		catch (IOException e) {
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "probe scratch files: " + e.getMessage());
		}
		finally {
			if (session == null) {
				close(conn);
			}
		}
	}

	/** One run's probe domain: boot it (once, or once per variant under the same name), follow it, remove it. */
	public final class Session implements AutoCloseable {

		private final Connect conn;
		private final RunId run;
		private final String name;
		private final Path dir;
		private final Path base;
		private final Path[] image;
		private final Target target;
		private final String accel;
		private final List<String> swept;
		private final String uri;
		private final Scratch scratch;
		private final AtomicInteger hostChanges = new AtomicInteger();

		private Session(Connect conn, String uri, RunId run, String name, Path dir, Path base, Path[] image, Target target,
				String accel, List<String> swept) {
			this.conn = conn;
			this.run = run;
			this.name = name;
			this.dir = dir;
			this.base = base;
			this.image = image;
			this.target = target;
			this.accel = accel;
			this.swept = swept;
			this.uri = uri;
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
			return domainXml(name, accel, image[0], image[1], cmdline, disk, console, target, notes);
		}

		/** Defines and starts the domain; the command that does the same by hand is {@link #bootCommand}. */
		public void boot(String xml) {
			// registered again per boot, so it is removed before what this variant reserved for it
			scratch.add(DOMAIN, name, this::removeDomainNow);
			try {
				conn.domainDefineXML(xml).create();
			}
			catch (LibvirtException e) {
				removeDomain();
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "libvirt refused the probe guest: "
						+ LibvirtConnector.oneLine(e.getMessage()));
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
			try {
				Connect c = LibvirtConnector.connectReadWrite(uri);
				try {
					destroyAndUndefine(c.domainLookupByName(name));
				}
				catch (LibvirtException e) {
					// never defined
				}
				finally {
					ProbeGuest.close(c);
				}
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
			scratch.add(HOST_CHANGE, "change " + hostChanges.incrementAndGet(), r);
		}

		/**
		 * Follows the console log, line by line to {@code listener} with the QEMU process id (-1 until
		 * known), until the guest prints {@code VWPROBE-DONE}. Fails clearly when the guest never
		 * reaches its init within {@link #BOOT_SECONDS} or its work takes longer than {@code workSeconds}.
		 */
		public void watch(Path console, long workSeconds, ConsoleListener listener) {
			try {
				follow(console, workSeconds, listener);
			}
			catch (IOException e) {
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "probe console " + console + ": " + e.getMessage());
			}
		}

		private void follow(Path console, long workSeconds, ConsoleListener listener) throws IOException {
			long bootDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOOT_SECONDS);
			long endDeadline = bootDeadline + TimeUnit.SECONDS.toNanos(workSeconds);
			Path pidFile = Path.of("/run/libvirt/qemu/" + name + ".pid");
			long pid = -1;
			long offset = 0;
			StringBuilder pending = new StringBuilder();
			StringBuilder all = new StringBuilder();
			boolean init = false;
			boolean stopped = false;
			long nextLivenessCheck = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
			while (true) {
				if (pid < 0 && Files.isRegularFile(pidFile)) {
					pid = Long.parseLong(Files.readString(pidFile).strip());
				}
				if (Files.isRegularFile(console)) {
					try (RandomAccessFile f = new RandomAccessFile(console.toFile(), "r")) {
						long len = f.length();
						if (len > offset) {
							byte[] buf = new byte[(int) (len - offset)];
							f.seek(offset);
							f.readFully(buf);
							offset = len;
							pending.append(new String(buf, StandardCharsets.ISO_8859_1));
						}
					}
				}
				int nl;
				while ((nl = pending.indexOf("\n")) >= 0) {
					String line = pending.substring(0, nl).replace("\r", "").strip();
					all.append(line).append('\n');
					pending.delete(0, nl + 1);
					if (line.equals(ProbeConsole.INIT)) {
						init = true;
					}
					else if (line.equals(ProbeConsole.DONE)) {
						return;
					}
					else if (line.contains(KERNEL_PANIC)) {
						// a panicked kernel halts and never prints again: no point waiting out the deadline
						throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe guest's kernel panicked "
								+ (init ? "during the probe: " : "before reaching its init: ") + line.substring(line.indexOf(KERNEL_PANIC)));
					}
					listener.line(line, pid);
				}
				if (stopped) {
					// the console was read once more after the domain stopped: no DONE in it
					throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe guest stopped "
							+ (init ? "before finishing its work" : "before reaching its init") + " (last console lines: " + tail(all) + ")");
				}
				long now = System.nanoTime();
				if (now > nextLivenessCheck) {
					nextLivenessCheck = now + TimeUnit.SECONDS.toNanos(1);
					stopped = !domainActive();
					if (stopped) {
						continue; // read what the console got before it stopped, then fail
					}
				}
				if (!init && now > bootDeadline) {
					throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe guest never reached its init within "
							+ BOOT_SECONDS + " s (kernel or initramfs did not boot; last console lines: " + tail(all) + ")");
				}
				if (now > endDeadline) {
					throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe guest did not finish its work in time"
							+ " (last console lines: " + tail(all) + ")");
				}
				try {
					Thread.sleep(20);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "interrupted");
				}
			}
		}

		/** Whether the probe domain still runs; a lookup that fails (undefined under us) counts as stopped. */
		private boolean domainActive() {
			try {
				return conn.domainLookupByName(name).isActive() == 1;
			}
			catch (LibvirtException e) {
				return false;
			}
		}

		@Override
		public void close() {
			try {
				scratch.close();
			}
			finally {
				ProbeGuest.close(conn);
			}
		}
	}

	private static String tail(StringBuilder all) {
		List<String> lines = all.toString().lines().filter(l -> !l.isBlank()).toList();
		return lines.isEmpty() ? "none" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
	}

	/**
	 * Kernel and initramfs of scripts/build-probe-guest: the newest build in the cache directory
	 * that holds {@code workload} (its file {@code workloads}; builds older than that file hold fio only).
	 */
	public Path[] locateGuestImage(String workload) {
		List<Path> candidates = new ArrayList<>();
		if (Files.isRegularFile(guestDir.resolve("vmlinuz")) && holds(guestDir, workload)) {
			candidates.add(guestDir);
		}
		if (Files.isDirectory(guestDir)) {
			try (Stream<Path> s = Files.list(guestDir)) {
				s.filter(p -> Files.isRegularFile(p.resolve("vmlinuz")) && Files.isRegularFile(p.resolve("initrd.img"))
						&& holds(p, workload))
					.forEach(candidates::add);
			}
			catch (IOException e) {
				// treated as missing
			}
		}
		Path best = candidates.stream().max(Comparator.comparing(p -> p.resolve("initrd.img").toFile().lastModified())).orElseThrow(
				() -> new ProbeException(ProbeException.Reason.UNAVAILABLE, "no probe guest with " + workload + " in " + guestDir
						+ ": build it with scripts/build-probe-guest (offline, from Debian packages)"));
		return new Path[] { best.resolve("vmlinuz"), best.resolve("initrd.img") };
	}

	private static boolean holds(Path build, String workload) {
		try {
			return List.of(Files.readString(build.resolve("workloads")).strip().split("\\s+")).contains(workload);
		}
		catch (IOException e) {
			return "fio".equals(workload);
		}
	}


	/** The target domain: its facts, its parsed XML and the directory of its first file-backed disk. */
	record Target(GuestFacts facts, Document xml, Path diskDir) {
	}

	Target readTarget(Connect conn, String guest) throws LibvirtException {
		Domain domain;
		try {
			domain = conn.domainLookupByName(guest);
		}
		catch (LibvirtException e) {
			throw new ProbeException(ProbeException.Reason.BAD_INPUT, "no libvirt domain named '" + guest + "' (see kvm ls)");
		}
		if (guest.startsWith(PREFIX)) {
			throw new ProbeException(ProbeException.Reason.BAD_INPUT, guest + " is a probe guest of virtwise itself");
		}
		String xml = domain.getXMLDesc(0);
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

	/**
	 * KVM only where /dev/kvm is hardware KVM: under PVM (nested virtualisation without VMX) a
	 * stock kernel never boots, so the probe guest runs under TCG and every guest figure is emulated.
	 */
	static String chooseAccel(Target target, List<String> notes) {
		boolean pvm = Files.isDirectory(Path.of("/sys/module/kvm_pvm")) && !Files.isDirectory(Path.of("/sys/module/kvm_intel"))
				&& !Files.isDirectory(Path.of("/sys/module/kvm_amd"));
		boolean kvm = Files.exists(Path.of("/dev/kvm")) && !pvm;
		boolean targetKvm = target == null || "kvm".equals(target.facts().accel());
		if (kvm && targetKvm) {
			return "kvm";
		}
		if (pvm && targetKvm) {
			notes.add("/dev/kvm is PVM here: a type='kvm' guest starts but its kernel never boots, so the probe guest runs "
					+ "under TCG (type='qemu')" + (target == null ? "" : " instead of " + target.facts().name() + "'s type='kvm'"));
		}
		else if (!kvm) {
			notes.add("no usable /dev/kvm: the probe guest runs under TCG (type='qemu')");
		}
		return "qemu";
	}


	/** The probe domain: direct kernel boot, serial console to a file, a virtio disk when {@code disk} is given. */
	static Document domainXml(String name, String accel, Path kernel, Path initrd, String cmdline, Path disk, Path console,
			Target target, List<String> notes) {
		Document doc = DomainXml.parse("<domain type='" + accel + "'><name>" + name + "</name>"
				+ "<description>virtwise probe: throwaway probe guest, removed after the run</description>"
				+ "<memory unit='MiB'>512</memory><vcpu>2</vcpu>"
				+ "<os><type arch='x86_64' machine='pc'>hvm</type><kernel/><initrd/><cmdline/></os>"
				+ "<features><acpi/></features>"
				+ "<on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>"
				+ "<devices><disk type='file' device='disk'><driver name='qemu' type='raw' cache='none' io='native'/>"
				+ "<source/><target dev='vda' bus='virtio'/></disk>"
				+ "<serial type='file'><source/><target port='0'/></serial><memballoon model='none'/></devices></domain>");
		Element root = doc.getDocumentElement();
		Element os = DomainXml.child(root, "os");
		DomainXml.child(os, "kernel").setTextContent(kernel.toString());
		DomainXml.child(os, "initrd").setTextContent(initrd.toString());
		DomainXml.child(os, "cmdline").setTextContent(cmdline);
		Element devices = DomainXml.child(root, "devices");
		Element diskEl = DomainXml.child(devices, "disk");
		if (disk == null) {
			DomainXml.remove(diskEl);
			diskEl = null;
		}
		else {
			DomainXml.set(DomainXml.child(diskEl, "source"), "file", disk.toString());
		}
		DomainXml.set(DomainXml.child(DomainXml.child(devices, "serial"), "source"), "path", console.toString());
		if (target != null) {
			copyTargetSettings(doc, target, accel, diskEl, notes);
		}
		return doc;
	}

	/** CPU mode and topology, vCPUs and pinning, memory backing and the first disk's bus/cache/io, from the target. */
	private static void copyTargetSettings(Document doc, Target target, String accel, Element diskEl, List<String> notes) {
		Element root = doc.getDocumentElement();
		Element src = target.xml().getDocumentElement();
		List<String> copied = new ArrayList<>();
		for (String tag : List.of("vcpu", "iothreads", "cputune", "numatune")) {
			Element e = DomainXml.child(src, tag);
			if (e != null) {
				Element existing = DomainXml.child(root, tag);
				Element imported = (Element) doc.importNode(e, true);
				if (existing != null) {
					root.replaceChild(imported, existing);
				}
				else {
					root.insertBefore(imported, DomainXml.child(root, "os"));
				}
				copied.add(tag);
			}
		}
		Element cpu = DomainXml.child(src, "cpu");
		if (cpu != null) {
			Element imported = (Element) doc.importNode(cpu, true);
			for (Element numa : DomainXml.children(imported, "numa")) {
				DomainXml.remove(numa); // its cells add up to the target's memory, not the probe guest's
			}
			String mode = imported.getAttribute("mode");
			if (accel.equals("qemu") && (mode.equals("host-passthrough") || mode.equals("host-model"))) {
				DomainXml.set(imported, "mode", "maximum");
				DomainXml.children(imported, "model").forEach(DomainXml::remove);
				DomainXml.children(imported, "cache").forEach(DomainXml::remove);
				DomainXml.children(imported, "feature").forEach(DomainXml::remove);
				notes.add("cpu mode " + mode + " needs KVM: under TCG the probe guest uses mode='maximum' with "
						+ target.facts().name() + "'s topology");
			}
			root.insertBefore(imported, DomainXml.child(root, "features").getNextSibling());
			copied.add("cpu");
		}
		Element backing = DomainXml.child(src, "memoryBacking");
		if (backing != null) {
			long pageKb = target.facts().hugepageSizeKb() == null ? 2048 : target.facts().hugepageSizeKb();
			boolean huge = Boolean.TRUE.equals(target.facts().hugepageBacked());
			long memMiB = huge ? Math.max(512, pageKb / 1024) : 512;
			long need = memMiB * 1024 / pageKb;
			long free = freeHugePages(pageKb);
			if (!huge || free >= need) {
				Element imported = (Element) doc.importNode(backing, true);
				root.insertBefore(imported, DomainXml.child(root, "vcpu"));
				DomainXml.child(root, "memory").setTextContent(Long.toString(memMiB));
				copied.add("memoryBacking");
			}
			else {
				notes.add("memoryBacking not copied: " + need + " free " + pageKb + " KiB huge pages needed, " + free + " free");
			}
		}
		GuestDisk first = target.facts().disks().stream().filter(d -> "disk".equals(d.device())).findFirst().orElse(null);
		if (first != null && diskEl != null) {
			Element driver = DomainXml.child(diskEl, "driver");
			setOrRemove(driver, "cache", first.cache());
			setOrRemove(driver, "io", first.io());
			if (first.iothread() != null && DomainXml.child(root, "iothreads") != null) {
				DomainXml.set(driver, "iothread", first.iothread().toString());
			}
			if (first.bus() != null && !first.bus().equals("virtio")) {
				notes.add(target.facts().name() + "'s disk bus is " + first.bus() + "; the probe guest has only virtio drivers and "
						+ "measures virtio-blk");
			}
			copied.add("disk cache=" + (first.cache() == null ? "default" : first.cache()) + " io="
					+ (first.io() == null ? "default" : first.io()));
		}
		notes.add("copied from " + target.facts().name() + " (read only, never started or changed): " + String.join(", ", copied)
				+ "; memory 512 MiB (or one huge page)" + (diskEl == null ? "" : ", disk a new raw image"));
	}

	private static void setOrRemove(Element e, String attribute, String value) {
		if (value == null) {
			e.removeAttribute(attribute);
		}
		else {
			DomainXml.set(e, attribute, value);
		}
	}

	static long freeHugePages(long pageKb) {
		try {
			return Long.parseLong(Files.readString(Path.of("/sys/kernel/mm/hugepages/hugepages-" + pageKb + "kB/free_hugepages")).strip());
		}
		catch (IOException | NumberFormatException e) {
			return 0;
		}
	}


	/**
	 * Removes {@code vwprobe-} domains of runs whose process is gone (or older than any run
	 * lasts), with the run directories holding their disk image and console log.
	 */
	private List<String> sweepLeftovers(Connect conn, RunId self) {
		List<String> swept = new ArrayList<>();
		try {
			for (Domain d : conn.listAllDomains(0)) {
				String n = d.getName();
				if (!n.startsWith(PREFIX) || !self.isLeftover(n.substring(PREFIX.length()), null, Instant.now())) {
					continue;
				}
				List<Path> dirs = new ArrayList<>();
				for (GuestDisk disk : DomainXmlParser.parse(d.getXMLDesc(0)).disks()) {
					if (disk.source() != null && disk.source().startsWith("/")) {
						Path parent = Path.of(disk.source()).getParent();
						if (parent != null && parent.getFileName().toString().equals(n)) {
							dirs.add(parent);
						}
					}
				}
				destroyAndUndefine(d);
				dirs.forEach(ProbeGuest::deleteTreeQuietly);
				swept.add(n);
			}
		}
		catch (LibvirtException e) {
			// a domain that vanished meanwhile: nothing to sweep
		}
		for (Path p : Scratch.leftoverDirs(self, runsDir, RUN_DIR_NAME)) {
			deleteTreeQuietly(p);
			swept.add(p.toString());
		}
		return swept;
	}

	private static void close(Connect conn) {
		try {
			conn.close();
		}
		catch (LibvirtException e) {
			// nothing left to do
		}
	}

	static void destroyAndUndefine(Domain d) {
		try {
			if (d.isActive() == 1) {
				d.destroy();
			}
		}
		catch (LibvirtException e) {
			// already stopped
		}
		try {
			d.undefine();
		}
		catch (LibvirtException e) {
			// transient or already gone
		}
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
