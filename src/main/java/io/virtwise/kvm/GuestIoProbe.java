package io.virtwise.kvm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.FioOutput;
import io.virtwise.probe.ProbeException;
import io.virtwise.probe.ProbeOutputException;
import io.virtwise.probe.ProbeProgress;
import io.virtwise.probe.ProbeReport;
import io.virtwise.probe.RunId;
import io.virtwise.probe.Skipped;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Runs {@code probe kvm}: boots a throwaway {@code vwprobe-<run>} domain from the probe guest's
 * kernel and initramfs (scripts/build-probe-guest) with direct kernel boot, lets it run fio 4k
 * random read/write at QD1 and QD32 against its virtio disk, reads the JSON from its serial
 * console log, samples the QEMU process's CPU time around every job, and runs the same fio jobs
 * on the host against a file in the same directory as the baseline. The target domain named
 * with {@code --guest} is only read: its CPU, memory backing, pinning and disk settings are
 * copied; the domain and its disk are never touched. Everything created is removed afterwards,
 * on failure and Ctrl-C too, and leftovers of killed runs are swept first.
 */
public final class GuestIoProbe {

	public static final String PROBE = "kvm-io";
	public static final String PREFIX = "vwprobe-";
	public static final Path DEFAULT_GUEST_DIR = Path.of("/var/lib/virtwise/probe-guest");
	public static final Path DEFAULT_RUNS_DIR = Path.of("/var/lib/virtwise/probe-runs");
	static final List<String> JOBS = List.of("randread-qd1", "randwrite-qd1", "randread-qd32", "randwrite-qd32");
	private static final long CLOCK_TICKS = 100; // USER_HZ on Linux x86-64

	/** {@code guest}: the domain whose settings to copy, or null; {@code runtimeSeconds}: per fio job. */
	public record Options(String guest, boolean quick, String uri, int runtimeSeconds, String sizeMiB) {

		public static Options of(String guest, boolean quick, String uri) {
			return new Options(guest, quick, uri, quick ? 2 : 3, quick ? "32" : "64");
		}

		int jobBudgetSeconds() {
			return runtimeSeconds + 10;
		}
	}

	private final Path guestDir;
	private final Path runsDir;

	public GuestIoProbe() {
		this(Optional.ofNullable(System.getenv("VIRTWISE_PROBE_GUEST_DIR")).map(Path::of).orElse(DEFAULT_GUEST_DIR),
				DEFAULT_RUNS_DIR);
	}

	public GuestIoProbe(Path guestDir, Path runsDir) {
		this.guestDir = guestDir;
		this.runsDir = runsDir;
	}

	public ProbeReport run(Options options, ProbeProgress progress) {
		long started = System.nanoTime();
		Path[] image = locateGuestImage();
		Connect conn = LibvirtConnector.connectReadWrite(options.uri());
		RunId run = RunId.create();
		String name = PREFIX + run.value();
		List<String> notes = new ArrayList<>();
		List<Skipped> skipped = new ArrayList<>();
		List<ProbeResult> results = new ArrayList<>();
		double deadline = 60 + JOBS.size() * 2.0 * options.jobBudgetSeconds();
		progress.begin(3 + 2 * JOBS.size());
		Cleanup cleanup = null;
		try {
			progress.step("sweeping leftovers of earlier runs");
			List<String> swept = sweepLeftovers(conn, run);

			Target target = options.guest() == null ? null : readTarget(conn, options.guest());
			String accel = chooseAccel(target, notes);
			boolean emulated = accel.equals("qemu");
			String subject = target == null ? "lab" : target.facts().name();

			Path base = target != null && target.diskDir() != null ? target.diskDir() : runsDir;
			Path dir = base.resolve(name);
			cleanup = new Cleanup(options.uri(), name, dir);
			Runtime.getRuntime().addShutdownHook(cleanup.hook);
			Files.createDirectories(dir);
			Path disk = dir.resolve("disk.raw");
			Path console = dir.resolve("console.log");
			long sizeMiB = Long.parseLong(options.sizeMiB());
			fill(disk, (sizeMiB + 16) * 1024 * 1024);

			String cmdline = "console=ttyS0 quiet loglevel=1 panic=-1 vw.runtime=" + options.runtimeSeconds() + " vw.size="
					+ sizeMiB + "M vw.jobs=" + String.join(",", JOBS);
			String xml = domainXml(name, accel, image[0], image[1], cmdline, disk, console, target, notes);

			progress.step("booting " + name + (emulated ? " under TCG (emulated)" : " under KVM"));
			Domain domain = conn.domainDefineXML(xml);
			domain.create();
			Map<String, long[]> cpu = watch(name, console, options, progress);
			ProbeConsole out = ProbeConsole.parse(Files.readString(console, StandardCharsets.ISO_8859_1));
			cleanup.removeDomain();

			String guestXmlCommand = "virsh define /dev/stdin <<'XML'\n" + xml + "XML\nvirsh start " + name;
			Map<String, HostJob> host = new LinkedHashMap<>();
			for (String job : JOBS) {
				progress.step("host: fio " + job);
				try {
					host.put(job, hostFio(dir, job, options));
				}
				catch (ProbeOutputException | IOException e) {
					skipped.add(new Skipped(PROBE, "host", placement(job), metric(job), "host fio failed: " + e.getMessage()));
				}
			}
			for (String job : JOBS) {
				HostJob h = host.get(job);
				FioOutput.Job g;
				try {
					g = out.job(job);
				}
				catch (ProbeOutputException e) {
					skipped.add(new Skipped(PROBE, "guest", placement(job), metric(job), e.getMessage()));
					continue;
				}
				double guestIops = iops(job, g);
				Double hostIops = h == null ? null : iops(job, h.job());
				List<String> guestCommands = List.of(guestXmlCommand, guestFio(job, options, "/dev/vda"));
				results.add(new ProbeResult(PROBE, "guest", subject, metric(job), "IOPS", guestIops, guestIops, guestIops, null,
						1, hostIops, emulated ? Boolean.TRUE : null, guestCommands, placement(job)));
				if (h != null) {
					results.add(new ProbeResult(PROBE, "host", subject, metric(job), "IOPS", hostIops, hostIops, hostIops, null, 1,
							hostIops, null, List.of(h.command()), placement(job)));
				}
				long[] ticks = cpu.get(job);
				double ios = guestIops * g.runtimeMs() / 1000.0;
				if (ticks != null && ios > 0) {
					double us = (ticks[1] - ticks[0]) * (1_000_000.0 / CLOCK_TICKS) / ios;
					Double hostUs = h == null ? null : h.cpuUsPerIo();
					results.add(new ProbeResult(PROBE, "guest", subject, "cpu-us-per-io", "us", us, us, us, null, 1, hostUs,
							emulated ? Boolean.TRUE : null,
							List.of("cat /proc/$(cat /run/libvirt/qemu/" + name + ".pid)/stat  # utime+stime at "
									+ ProbeConsole.BEGIN.strip() + " and " + ProbeConsole.END.strip() + " " + job, guestXmlCommand),
							placement(job) + "-" + rw(job)));
					if (h != null && hostUs != null) {
						results.add(new ProbeResult(PROBE, "host", subject, "cpu-us-per-io", "us", hostUs, hostUs, hostUs, null, 1,
								hostUs, null, List.of(h.command()), placement(job) + "-" + rw(job)));
					}
				}
				else {
					skipped.add(new Skipped(PROBE, "guest", placement(job), "cpu-us-per-io", "no QEMU CPU time sampled around " + job));
				}
			}
			if (emulated) {
				notes.add("guest figures are EMULATED: QEMU TCG (type='qemu'), not KVM; they show the cost of this machine's "
						+ "emulation, not what a KVM guest would see");
			}
			notes.add("fio 4k libaio direct=1, " + options.runtimeSeconds() + " s per job, " + sizeMiB + " MiB, one run per job; "
					+ "guest against its virtio disk /dev/vda (a raw image in " + base + "), host against a file in the same directory");
			notes.add("cpu-us-per-io: utime+stime of the QEMU process (all threads, /proc/PID/stat) between the guest's markers "
					+ "around each fio job, divided by the job's I/Os (IOPS x runtime); host: fio's own utime+stime per I/O");
			progress.step("cleaning up");
			return new ProbeReport(run.value(), subject, (System.nanoTime() - started) / 1e9, deadline, results, skipped, notes,
					swept);
		}
		catch (LibvirtException e) {
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "libvirt refused the probe guest: "
					+ LibvirtConnector.oneLine(e.getMessage()));
		}
		catch (IOException e) {
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "probe scratch files: " + e.getMessage());
		}
		finally {
			if (cleanup != null) {
				cleanup.run();
				try {
					Runtime.getRuntime().removeShutdownHook(cleanup.hook);
				}
				catch (IllegalStateException e) {
					// already shutting down: the hook is running
				}
			}
			progress.end();
			close(conn);
		}
	}

	/** Kernel and initramfs of scripts/build-probe-guest: the newest build in the cache directory. */
	Path[] locateGuestImage() {
		List<Path> candidates = new ArrayList<>();
		if (Files.isRegularFile(guestDir.resolve("vmlinuz"))) {
			candidates.add(guestDir);
		}
		if (Files.isDirectory(guestDir)) {
			try (Stream<Path> s = Files.list(guestDir)) {
				s.filter(p -> Files.isRegularFile(p.resolve("vmlinuz")) && Files.isRegularFile(p.resolve("initrd.img")))
					.forEach(candidates::add);
			}
			catch (IOException e) {
				// treated as missing
			}
		}
		Path best = candidates.stream().max(Comparator.comparing(p -> p.resolve("initrd.img").toFile().lastModified())).orElseThrow(
				() -> new ProbeException(ProbeException.Reason.UNAVAILABLE, "no probe guest in " + guestDir
						+ ": build it with scripts/build-probe-guest (offline, from Debian packages)"));
		return new Path[] { best.resolve("vmlinuz"), best.resolve("initrd.img") };
	}

	/** The target domain: its facts, its parsed XML and the directory of its first file-backed disk. */
	record Target(GuestFacts facts, Document xml, Path diskDir) {
	}

	private Target readTarget(Connect conn, String guest) throws LibvirtException {
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

	String domainXml(String name, String accel, Path kernel, Path initrd, String cmdline, Path disk, Path console, Target target,
			List<String> notes) {
		Document doc = DomainXml.parse("<domain type='" + accel + "'><name>" + name + "</name>"
				+ "<description>virtwise probe kvm: throwaway I/O probe guest, removed after the run</description>"
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
		DomainXml.set(DomainXml.child(diskEl, "source"), "file", disk.toString());
		DomainXml.set(DomainXml.child(DomainXml.child(devices, "serial"), "source"), "path", console.toString());
		if (target != null) {
			copyTargetSettings(doc, target, accel, diskEl, notes);
		}
		return DomainXml.write(doc);
	}

	/** CPU mode and topology, vCPUs and pinning, memory backing and the first disk's bus/cache/io, from the target. */
	private void copyTargetSettings(Document doc, Target target, String accel, Element diskEl, List<String> notes) {
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
		if (first != null) {
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
				+ "; memory 512 MiB (or one huge page), disk a new raw image");
	}

	private static void setOrRemove(Element e, String attribute, String value) {
		if (value == null) {
			e.removeAttribute(attribute);
		}
		else {
			DomainXml.set(e, attribute, value);
		}
	}

	private static long freeHugePages(long pageKb) {
		try {
			return Long.parseLong(Files.readString(Path.of("/sys/kernel/mm/hugepages/hugepages-" + pageKb + "kB/free_hugepages")).strip());
		}
		catch (IOException | NumberFormatException e) {
			return 0;
		}
	}

	/**
	 * Follows the console log until the guest prints {@code VWPROBE-DONE}, sampling the QEMU
	 * process's CPU ticks at each job's markers. Fails clearly when the guest never reaches its init.
	 */
	private Map<String, long[]> watch(String name, Path console, Options options, ProbeProgress progress) throws IOException {
		long bootDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		long endDeadline = bootDeadline + TimeUnit.SECONDS.toNanos((long) JOBS.size() * options.jobBudgetSeconds());
		Map<String, long[]> cpu = new LinkedHashMap<>();
		Path pidFile = Path.of("/run/libvirt/qemu/" + name + ".pid");
		long pid = -1;
		long offset = 0;
		StringBuilder pending = new StringBuilder();
		StringBuilder all = new StringBuilder();
		String current = null;
		boolean init = false;
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
				else if (line.startsWith(ProbeConsole.BEGIN)) {
					current = line.substring(ProbeConsole.BEGIN.length()).strip();
					progress.step("guest: fio " + current);
					cpu.put(current, new long[] { cpuTicks(pid), -1 });
				}
				else if (line.startsWith(ProbeConsole.END) && current != null && cpu.containsKey(current)) {
					cpu.get(current)[1] = cpuTicks(pid);
					current = null;
				}
				else if (line.equals(ProbeConsole.DONE)) {
					cpu.values().removeIf(t -> t[0] < 0 || t[1] < 0);
					return cpu;
				}
			}
			long now = System.nanoTime();
			if (!init && now > bootDeadline) {
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe guest never reached its init within 60 s"
						+ " (kernel or initramfs did not boot; last console lines: " + tail(all) + ")");
			}
			if (now > endDeadline) {
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe guest did not finish its fio jobs in time"
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

	private static String tail(StringBuilder all) {
		List<String> lines = all.toString().lines().filter(l -> !l.isBlank()).toList();
		return lines.isEmpty() ? "none" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
	}

	/** utime + stime of every thread of the process, in clock ticks; -1 when unreadable. */
	static long cpuTicks(long pid) {
		if (pid < 0) {
			return -1;
		}
		try {
			return parseStatTicks(Files.readString(Path.of("/proc/" + pid + "/stat")), false);
		}
		catch (IOException | RuntimeException e) {
			return -1;
		}
	}

	/** From a /proc/PID/stat line: utime+stime, or (children) cutime+cstime. */
	static long parseStatTicks(String stat, boolean children) {
		String[] f = stat.substring(stat.lastIndexOf(')') + 2).strip().split("\\s+");
		// f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
		int first = children ? 13 : 11;
		return Long.parseLong(f[first]) + Long.parseLong(f[first + 1]);
	}

	record HostJob(FioOutput.Job job, String command, Double cpuUsPerIo) {
	}

	private HostJob hostFio(Path dir, String job, Options options) throws IOException {
		String fio = guestFio(job, options, dir.resolve("host.fio").toString());
		// the shell reports its children's CPU time after fio exits: fio's own utime+stime
		String script = fio + "; s=$?; cat /proc/$$/stat >&2; exit $s";
		Process p = new ProcessBuilder("sh", "-c", script).start();
		String stdout;
		String stderr;
		try {
			var errFuture = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
				try {
					return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
				}
				catch (IOException e) {
					return "";
				}
			});
			stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!p.waitFor(options.jobBudgetSeconds() + 30, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new ProbeOutputException("fio on the host did not finish");
			}
			stderr = errFuture.join();
		}
		catch (InterruptedException e) {
			p.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new ProbeOutputException("interrupted");
		}
		if (p.exitValue() != 0) {
			throw new ProbeOutputException("fio exited " + p.exitValue() + ": " + stderr.strip().lines().findFirst().orElse(""));
		}
		FioOutput.Job result = FioOutput.parse(stdout).require(job);
		Double cpuUs = null;
		String statLine = stderr.strip().lines().reduce((a, b) -> b).orElse("");
		try {
			long ticks = parseStatTicks(statLine, true);
			double ios = iops(job, result) * result.runtimeMs() / 1000.0;
			cpuUs = ios > 0 ? ticks * (1_000_000.0 / CLOCK_TICKS) / ios : null;
		}
		catch (RuntimeException e) {
			// no CPU figure for this job
		}
		return new HostJob(result, fio, cpuUs);
	}

	static String guestFio(String job, Options options, String file) {
		return "fio --name=" + job + " --filename=" + file + " --rw=" + rw(job) + " --bs=4k --iodepth=" + qd(job)
				+ " --ioengine=libaio --direct=1 --size=" + options.sizeMiB() + "M --runtime=" + options.runtimeSeconds()
				+ " --time_based --output-format=json";
	}

	static String rw(String job) {
		return job.substring(0, job.indexOf("-qd"));
	}

	static String qd(String job) {
		return job.substring(job.indexOf("-qd") + 3);
	}

	static String metric(String job) {
		return rw(job) + "-iops";
	}

	static String placement(String job) {
		return "qd" + qd(job);
	}

	static double iops(String job, FioOutput.Job j) {
		return rw(job).contains("read") ? j.readIops() : j.writeIops();
	}

	/** Writes the image in full, so the guest's reads hit allocated blocks like the host's do. */
	private static void fill(Path file, long bytes) throws IOException {
		byte[] chunk = new byte[1 << 20];
		for (int i = 0; i < chunk.length; i += 4096) {
			chunk[i] = (byte) (i >> 12);
		}
		try (var out = Files.newOutputStream(file)) {
			for (long done = 0; done < bytes; done += chunk.length) {
				out.write(chunk);
			}
		}
	}

	/**
	 * Removes {@code vwprobe-} domains of runs whose process is gone (or older than any run
	 * lasts), with the run directories holding their disk image and console log.
	 */
	List<String> sweepLeftovers(Connect conn, RunId self) {
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
				Cleanup.removeDomain(d);
				dirs.forEach(Cleanup::deleteTree);
				swept.add(n);
			}
		}
		catch (LibvirtException e) {
			// a domain that vanished meanwhile: nothing to sweep
		}
		if (Files.isDirectory(runsDir)) {
			try (Stream<Path> s = Files.list(runsDir)) {
				for (Path p : s.toList()) {
					String n = p.getFileName().toString();
					if (n.startsWith(PREFIX) && self.isLeftover(n.substring(PREFIX.length()), null, Instant.now())) {
						Cleanup.deleteTree(p);
						swept.add(p.toString());
					}
				}
			}
			catch (IOException e) {
				// nothing to sweep
			}
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

	/** Destroys and undefines the probe domain and deletes its directory, once; also the shutdown hook. */
	static final class Cleanup implements Runnable {

		private final String uri;
		private final String name;
		private final Path dir;
		private final AtomicBoolean domainDone = new AtomicBoolean();
		private final AtomicBoolean done = new AtomicBoolean();
		final Thread hook = new Thread(this, "virtwise-kvm-probe-cleanup");

		Cleanup(String uri, String name, Path dir) {
			this.uri = uri;
			this.name = name;
			this.dir = dir;
		}

		void removeDomain() {
			if (domainDone.compareAndSet(false, true)) {
				try {
					Connect c = LibvirtConnector.connectReadWrite(uri);
					try {
						removeDomain(c.domainLookupByName(name));
					}
					catch (LibvirtException e) {
						// never defined
					}
					finally {
						close(c);
					}
				}
				catch (RuntimeException e) {
					// libvirtd gone: the next run sweeps it
				}
			}
		}

		static void removeDomain(Domain d) {
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

		@Override
		public void run() {
			if (done.compareAndSet(false, true)) {
				removeDomain();
				deleteTree(dir);
			}
		}

		static void deleteTree(Path root) {
			if (!Files.exists(root)) {
				return;
			}
			try (Stream<Path> s = Files.walk(root)) {
				s.sorted(Comparator.reverseOrder()).forEach(p -> {
					try {
						Files.deleteIfExists(p);
					}
					catch (IOException e) {
						// left for the next sweep
					}
				});
			}
			catch (IOException e) {
				// left for the next sweep
			}
		}
	}

	static String format(double v) {
		return String.format(Locale.ROOT, "%.1f", v);
	}
}
