package io.virtwise.probe.kvm;

import io.virtwise.facts.Probes;
import io.virtwise.facts.ProbePaths;
import io.virtwise.facts.Metrics;
import io.virtwise.kvm.xml.DomainXml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.ProbeException;
import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.probe.core.Skipped;
import io.virtwise.probe.core.Summary;
import io.virtwise.probe.core.SysbenchOutput;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Runs {@code probe kvm-cpu}: boots the probe guest ({@link ProbeGuest}) once per variant (plain,
 * backed by huge pages, vCPUs pinned, host-passthrough CPU with the host's topology exposed), lets
 * it run sysbench cpu, sequential memory writes and random memory reads, a warm-up and N
 * repetitions each, and runs the same sysbench command lines on the host as the baseline. The
 * figures are medians with min and max; the warm-up run is discarded on both sides. Huge pages are
 * reserved for the hugepage variant only when needed and the pool is put back afterwards; when
 * they cannot be reserved the variant is skipped and says why.
 */
public final class GuestCpuProbe {

	public static final String PROBE = Probes.KVM_CPU;
	/** The probe guest's memory: room for the initramfs and sysbench's buffers. */
	static final long MEMORY_MIB = 512;
	static final long HUGE_PAGE_KB = 2048;

	public enum Variant {
		PLAIN(ProbePaths.PLAIN), HUGEPAGES(ProbePaths.HUGEPAGES), PINNED(ProbePaths.PINNED), PASSTHROUGH(ProbePaths.PASSTHROUGH_TOPOLOGY);

		public final String path;

		Variant(String path) {
			this.path = path;
		}
	}

	/** One sysbench run line (without {@code run}); {@code name} labels it on the guest's console. */
	record Bench(String name, String test, String metric, String unit, List<String> args) {

		String command() {
			return "sysbench " + String.join(" ", args) + " run";
		}

		/** As the guest's /init reads it: vw.bench=NAME:ARG,ARG,... */
		String kernelArg() {
			return "vw.bench=" + name + ":" + String.join(",", args);
		}
	}

	/** {@code seconds}: per sysbench run; {@code reps}: measured runs after one warm-up. */
	public record Options(String guest, boolean quick, String uri, int seconds, int reps, List<Variant> variants) {

		public Options {
			variants = List.copyOf(variants);
			if (reps < 1 || seconds < 1) {
				throw new IllegalArgumentException("reps and seconds must be at least 1");
			}
		}

		public static Options of(String guest, boolean quick, String uri) {
			return new Options(guest, quick, uri, quick ? 1 : 2, quick ? 3 : 5, List.of(Variant.values()));
		}

		/** Each run's budget under TCG: sysbench starts slowly there, and a random-access event is long. */
		long workSeconds() {
			return (long) benches(this).size() * (reps + 1) * (seconds * 3L + 5);
		}
	}

	/** Single-threaded, so repetitions compare like with like on a host whose other vCPU is busy. */
	static List<Bench> benches(Options o) {
		String time = "--time=" + o.seconds();
		return List.of(new Bench("cpu", "cpu", Metrics.CPU_EVENTS_PER_S, "events/s", List.of("cpu", "--threads=1", time, "--cpu-max-prime=2000")),
				new Bench("mem-seq", "memory", Metrics.MEM_SEQ_WRITE_MIBPS, "MiB/s", List.of("memory", "--threads=1", time,
						"--memory-block-size=1M", "--memory-total-size=1000G", "--memory-oper=write", "--memory-access-mode=seq")),
				// 8 MiB of random reads per event: past the 4 KiB-page TLB's reach, inside a 2 MiB-page TLB's
				new Bench("mem-rnd", "memory", Metrics.MEM_RND_READ_MIBPS, "MiB/s", List.of("memory", "--threads=1", time,
						"--memory-block-size=8M", "--memory-total-size=1000G", "--memory-oper=read", "--memory-access-mode=rnd")));
	}

	private final ProbeGuest guest;
	private final HugePages hugePages;

	public GuestCpuProbe() {
		this(new ProbeGuest(), new HugePages(Path.of("/sys/kernel/mm/hugepages/hugepages-" + HUGE_PAGE_KB + "kB"), Path.of("/proc/mounts")));
	}

	public GuestCpuProbe(ProbeGuest guest, HugePages hugePages) {
		this.guest = guest;
		this.hugePages = hugePages;
	}

	public ProbeReport run(Options options, ProbeProgress progress) {
		long started = System.nanoTime();
		List<Bench> benches = benches(options);
		List<String> notes = new ArrayList<>();
		List<Skipped> skipped = new ArrayList<>();
		List<ProbeResult> results = new ArrayList<>();
		double deadline = options.variants().size() * (ProbeGuest.BOOT_SECONDS / 4.0 + options.workSeconds())
				+ options.workSeconds();
		progress.begin(2 + options.variants().size() * (1 + benches.size() * (options.reps() + 1)) + benches.size());
		try (ProbeGuest.Session session = guest.open("sysbench", options.uri(), options.guest(), false, notes, progress)) {
			String subject = session.subject();
			Map<Variant, Map<String, Summary>> guestFigures = new LinkedHashMap<>();
			Map<Variant, String> bootCommands = new LinkedHashMap<>();
			for (Variant v : options.variants()) {
				Path console = session.dir().resolve("console-" + v.path + ".log");
				String cmdline = "console=ttyS0 quiet loglevel=1 panic=-1 vw.workload=sysbench vw.reps=" + options.reps() + " "
						+ String.join(" ", benches.stream().map(Bench::kernelArg).toList());
				Document doc = session.domain(cmdline, null, console, v == options.variants().get(0) ? notes : new ArrayList<>());
				String why = apply(v, doc, session.emulated(), session::undo);
				if (why != null) {
					skipped.add(new Skipped(PROBE, v.path, null, "all", why));
					continue;
				}
				String xml = DomainXml.write(doc);
				bootCommands.put(v, session.bootCommand(xml));
				progress.step("booting " + v.path + (session.emulated() ? " under TCG (emulated)" : " under KVM"));
				try {
					session.boot(xml);
					session.watch(console, options.workSeconds(), (line, pid) -> {
						if (line.startsWith(ProbeConsole.BENCH_BEGIN)) {
							progress.step("guest " + v.path + ": sysbench " + line.substring(ProbeConsole.BENCH_BEGIN.length()));
						}
					});
				}
				catch (ProbeException e) {
					if (Thread.currentThread().isInterrupted()) {
						throw e;
					}
					skipped.add(new Skipped(PROBE, v.path, null, "all", e.getMessage()));
					continue;
				}
				finally {
					session.removeDomain();
					if (v == Variant.HUGEPAGES) {
						hugePages.restore();
					}
				}
				ProbeConsole out = session.console(console);
				Map<String, Summary> figures = new LinkedHashMap<>();
				for (Bench b : benches) {
					try {
						figures.put(b.name(), summarise(b, rep -> out.sections().get(b.name() + "/" + rep), options.reps()));
					}
					catch (ProbeOutputException e) {
						skipped.add(new Skipped(PROBE, v.path, null, b.metric(), "guest: " + e.getMessage()));
					}
				}
				guestFigures.put(v, figures);
			}

			Map<String, Summary> host = new LinkedHashMap<>();
			for (Bench b : benches) {
				progress.step("host: " + b.command());
				try {
					List<String> runs = new ArrayList<>();
					for (int rep = 0; rep <= options.reps(); rep++) {
						runs.add(hostRun(b, options));
					}
					host.put(b.name(), summarise(b, runs::get, options.reps()));
				}
				catch (ProbeOutputException | IOException e) {
					skipped.add(new Skipped(PROBE, ProbePaths.HOST, null, b.metric(), "host sysbench failed: " + e.getMessage()));
				}
			}

			Boolean emulated = session.emulated() ? Boolean.TRUE : null;
			guestFigures.forEach((v, figures) -> figures.forEach((bench, s) -> {
				Bench b = benches.stream().filter(x -> x.name().equals(bench)).findFirst().orElseThrow();
				Summary h = host.get(bench);
				results.add(result(b, v.path, subject, s, h == null ? null : h.median(), emulated,
						List.of(bootCommands.get(v), b.command() + "   # in the guest, after one warm-up run")));
			}));
			for (Bench b : benches) {
				Summary h = host.get(b.name());
				if (h != null) {
					results.add(result(b, ProbePaths.HOST, subject, h, h.median(), null, List.of(b.command() + "   # after one warm-up run")));
				}
			}
			if (session.emulated()) {
				notes.add("guest figures are EMULATED: QEMU TCG (type='qemu'), not KVM; they show the cost of this machine's "
						+ "emulation and how the variants change it, not what a KVM guest would see");
			}
			notes.add("sysbench 1.0 single-threaded, " + options.seconds() + " s per run, one warm-up run discarded then "
					+ options.reps() + " runs: median [min-max]; the guest's " + MEMORY_MIB + " MiB and 2 vCPUs are the same in "
					+ "every variant; host runs the same command lines after the guests");
			notes.add("variants: plain (" + (options.guest() == null ? "no tuning" : "as " + subject) + "); hugepages: "
					+ "<memoryBacking><hugepages/> on 2 MiB pages; pinned: vcpupin 1:1 and emulatorpin; passthrough-topology: "
					+ "host-passthrough CPU (mode='maximum' under TCG) with the host's sockets x cores x threads");
			progress.step("cleaning up");
			return session.report(started, deadline, results, skipped, notes);
		}
		finally {
			hugePages.restore();
			progress.end();
		}
	}

	private static ProbeResult result(Bench b, String path, String subject, Summary s, Double baseline, Boolean emulated,
			List<String> commands) {
		return ProbeResult.builder(PROBE, path, subject, b.metric(), b.unit(), s.median()).spread(s.min(), s.max())
			.repetitions(s.count()).baseline(baseline).emulated(emulated).commands(commands).build();
	}

	/** Runs 1..reps of one bench (run 0 is the warm-up), each of which must have a figure. */
	static Summary summarise(Bench b, IntFunction<String> run, int reps) {
		List<Double> values = new ArrayList<>();
		for (int rep = 1; rep <= reps; rep++) {
			String text = run.apply(rep);
			if (text == null) {
				throw new ProbeOutputException("no output for " + b.name() + " run " + rep);
			}
			values.add(SysbenchOutput.parse(text).value(b.test()));
		}
		return Summary.of(values);
	}

	/**
	 * Changes the variant makes to the probe domain; a reason when it cannot be made (huge pages
	 * that cannot be reserved), else null.
	 */
	String apply(Variant v, Document doc, boolean emulated, Consumer<Runnable> undo) {
		Element root = doc.getDocumentElement();
		switch (v) {
			case PLAIN -> {
				return null;
			}
			case HUGEPAGES -> {
				String why = hugePages.reserve(MEMORY_MIB * 1024 / HUGE_PAGE_KB, undo);
				if (why != null) {
					return why;
				}
				DomainXml.child(root, "memory").setTextContent(Long.toString(MEMORY_MIB));
				if (DomainXml.child(root, "memoryBacking") == null) {
					Element pages = DomainXml.element(doc, "hugepages");
					pages.appendChild(DomainXml.element(doc, "page", "size", Long.toString(HUGE_PAGE_KB), "unit", "KiB"));
					Element backing = DomainXml.element(doc, "memoryBacking");
					backing.appendChild(pages);
					root.insertBefore(backing, DomainXml.child(root, "vcpu"));
				}
				return null;
			}
			case PINNED -> {
				int cpus = Runtime.getRuntime().availableProcessors();
				replace(root, "cputune");
				Element tune = DomainXml.element(doc, "cputune");
				for (int i = 0; i < vcpus(root); i++) {
					tune.appendChild(DomainXml.element(doc, "vcpupin", "vcpu", Integer.toString(i), "cpuset", Integer.toString(i % cpus)));
				}
				tune.appendChild(DomainXml.element(doc, "emulatorpin", "cpuset", "0-" + (cpus - 1)));
				root.insertBefore(tune, DomainXml.child(root, "os"));
				return null;
			}
			case PASSTHROUGH -> {
				replace(root, "cpu");
				// host-passthrough needs KVM; TCG offers every feature it emulates with 'maximum'
				Element cpu = DomainXml.element(doc, "cpu", "mode", emulated ? "maximum" : "host-passthrough");
				cpu.appendChild(DomainXml.element(doc, "topology", "sockets", "1", "dies", "1", "cores", Integer.toString(vcpus(root)),
						"threads", "1"));
				if (!emulated) {
					cpu.appendChild(DomainXml.element(doc, "cache", "mode", "passthrough"));
				}
				root.insertBefore(cpu, DomainXml.child(root, "features").getNextSibling());
				return null;
			}
			default -> throw new IllegalStateException(v.toString());
		}
	}

	private static int vcpus(Element root) {
		return Integer.parseInt(DomainXml.child(root, "vcpu").getTextContent().strip());
	}

	/** Drops what the target brought for this part, so that the variant's setting is the only one. */
	private static void replace(Element root, String tag) {
		Element old = DomainXml.child(root, tag);
		if (old != null) {
			DomainXml.remove(old);
		}
	}

	private static String hostRun(Bench b, Options options) throws IOException {
		List<String> argv = new ArrayList<>();
		argv.add("sysbench");
		argv.addAll(b.args());
		argv.add("run");
		Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
		try {
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!p.waitFor(options.seconds() + 30L, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new ProbeOutputException("sysbench on the host did not finish");
			}
			if (p.exitValue() != 0) {
				throw new ProbeOutputException("sysbench exited " + p.exitValue() + ": " + out.strip().lines().reduce((x, y) -> y).orElse(""));
			}
			return out;
		}
		catch (InterruptedException e) {
			p.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "interrupted"); // stops the run: not one more host run
		}
	}
}
