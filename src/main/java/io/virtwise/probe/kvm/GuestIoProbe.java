package io.virtwise.probe.kvm;

import io.virtwise.facts.Probes;
import io.virtwise.facts.ProbePaths;
import io.virtwise.facts.Metrics;
import io.virtwise.kvm.xml.DomainXml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.FioOutput;
import io.virtwise.probe.core.ProbeException;
import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.probe.core.Skipped;
import io.virtwise.probe.core.Summary;

/**
 * Runs {@code probe kvm}: boots a throwaway {@code vwprobe-<run>} domain ({@link ProbeGuest}) from
 * the probe guest's kernel and initramfs with direct kernel boot, lets it run fio 4k
 * random read/write at QD1 and QD32 against its virtio disk, reads the JSON from its serial
 * console log, samples the QEMU process's CPU time around every job, and runs the same fio jobs
 * on the host against a file in the same directory as the baseline. Each job runs once to warm up
 * and then {@code reps} times, in the guest and on the host; figures are medians with min and max. The target domain named
 * with {@code --guest} is only read: its CPU, memory backing, pinning and disk settings are
 * copied; the domain and its disk are never touched. Everything created is removed afterwards,
 * on failure and Ctrl-C too, and leftovers of killed runs are swept first.
 */
public final class GuestIoProbe {

	public static final String PROBE = Probes.KVM_IO;

	/** What the probe guest's build must hold: fio, and an init that repeats its jobs (vw.fioreps). */
	static final String WORKLOAD = "fio-reps";
	static final List<String> JOBS = List.of("randread-qd1", "randwrite-qd1", "randread-qd32", "randwrite-qd32");
	private static final long CLOCK_TICKS = 100; // USER_HZ on Linux x86-64

	/**
	 * {@code guest}: the domain whose settings to copy, or null; {@code runtimeSeconds}: per fio run;
	 * {@code reps}: measured runs of each job after one warm-up.
	 */
	public record Options(String guest, boolean quick, String uri, int runtimeSeconds, String sizeMiB, int reps) {

		public Options {
			if (reps < 1) {
				throw new IllegalArgumentException("reps must be at least 1");
			}
		}

		public static Options of(String guest, boolean quick, String uri) {
			return new Options(guest, quick, uri, quick ? 2 : 3, quick ? "32" : "64", 3);
		}

		long workSeconds() {
			return (long) JOBS.size() * (reps + 1) * jobBudgetSeconds();
		}

		int jobBudgetSeconds() {
			return runtimeSeconds + 10;
		}
	}

	private final ProbeGuest guest;

	public GuestIoProbe() {
		this(new ProbeGuest());
	}

	public GuestIoProbe(ProbeGuest guest) {
		this.guest = guest;
	}

	public ProbeReport run(Options options, ProbeProgress progress) {
		long started = System.nanoTime();
		List<String> notes = new ArrayList<>();
		List<Skipped> skipped = new ArrayList<>();
		List<ProbeResult> results = new ArrayList<>();
		double deadline = 60 + 2.0 * options.workSeconds();
		progress.begin(3 + (options.reps() + 2) * JOBS.size());
		try (ProbeGuest.Session session = guest.open(WORKLOAD, options.uri(), options.guest(), true, notes, progress)) {
			boolean emulated = session.emulated();
			String subject = session.subject();
			Path dir = session.dir();
			Path disk = dir.resolve("disk.raw");
			Path console = dir.resolve("console.log");
			long sizeMiB = Long.parseLong(options.sizeMiB());
			fill(disk, (sizeMiB + 16) * 1024 * 1024);

			String cmdline = "console=ttyS0 quiet loglevel=1 panic=-1 vw.runtime=" + options.runtimeSeconds() + " vw.size="
					+ sizeMiB + "M vw.jobs=" + String.join(",", JOBS) + " vw.fioreps=" + options.reps();
			String xml = DomainXml.write(session.domain(cmdline, disk, console, notes));

			progress.step("booting " + session.name() + (emulated ? " under TCG (emulated)" : " under KVM"));
			session.boot(xml);
			Map<String, long[]> cpu = new LinkedHashMap<>();
			String[] current = { null };
			// QEMU's CPU ticks at each job's markers: host CPU time per guest I/O
			session.watch(console, options.workSeconds(), (line, pid) -> {
				if (line.startsWith(ProbeConsole.BEGIN)) {
					current[0] = line.substring(ProbeConsole.BEGIN.length()).strip();
					progress.step("guest: fio " + current[0]);
					cpu.put(current[0], new long[] { cpuTicks(pid), -1 });
				}
				else if (line.startsWith(ProbeConsole.END) && current[0] != null && cpu.containsKey(current[0])) {
					cpu.get(current[0])[1] = cpuTicks(pid);
					current[0] = null;
				}
			});
			cpu.values().removeIf(t -> t[0] < 0 || t[1] < 0);
			ProbeConsole out = session.console(console);
			session.removeDomain();
			String name = session.name();

			String guestXmlCommand = session.bootCommand(xml);
			Map<String, List<HostJob>> host = new LinkedHashMap<>();
			for (String job : JOBS) {
				progress.step("host: fio " + job);
				try {
					hostFio(dir, job, options); // warm-up, as in the guest
					List<HostJob> runs = new ArrayList<>();
					for (int r = 1; r <= options.reps(); r++) {
						runs.add(hostFio(dir, job, options));
					}
					host.put(job, runs);
				}
				catch (ProbeOutputException | IOException e) {
					skipped.add(new Skipped(PROBE, ProbePaths.HOST, placement(job), metric(job), "host fio failed: " + e.getMessage()));
				}
			}
			Boolean emulatedFlag = emulated ? Boolean.TRUE : null;
			for (String job : JOBS) {
				List<Double> guestIops = new ArrayList<>();
				List<Double> guestUs = new ArrayList<>();
				try {
					for (int r = 1; r <= options.reps(); r++) {
						FioOutput.Job g = out.job(job + "/" + r);
						double iops = iops(job, g);
						guestIops.add(iops);
						long[] ticks = cpu.get(job + "/" + r);
						double ios = iops * g.runtimeMs() / 1000.0;
						if (ticks != null && ios > 0) {
							guestUs.add((ticks[1] - ticks[0]) * (1_000_000.0 / CLOCK_TICKS) / ios);
						}
					}
				}
				catch (ProbeOutputException e) {
					skipped.add(new Skipped(PROBE, ProbePaths.GUEST, placement(job), metric(job), e.getMessage()));
					continue;
				}
				List<HostJob> h = host.get(job);
				Summary hostIops = h == null ? null : Summary.of(h.stream().map(x -> iops(job, x.job())).toList());
				List<Double> hostUsRuns = h == null ? List.of() : h.stream().map(HostJob::cpuUsPerIo).filter(x -> x != null).toList();
				Summary hostUs = hostUsRuns.size() == options.reps() ? Summary.of(hostUsRuns) : null;
				String hostCommand = guestFio(job, options, dir.resolve("host.fio").toString()) + "   # after one warm-up run";
				results.add(result(metric(job), "IOPS", ProbePaths.GUEST, subject, Summary.of(guestIops), hostIops, emulatedFlag,
						List.of(guestXmlCommand, guestFio(job, options, "/dev/vda") + "   # after one warm-up run"), placement(job)));
				if (hostIops != null) {
					results.add(result(metric(job), "IOPS", ProbePaths.HOST, subject, hostIops, hostIops, null, List.of(hostCommand), placement(job)));
				}
				if (guestUs.size() == options.reps()) {
					results.add(result(Metrics.CPU_US_PER_IO, "us", ProbePaths.GUEST, subject, Summary.of(guestUs), hostUs, emulatedFlag,
							List.of("cat /proc/$(cat /run/libvirt/qemu/" + name + ".pid)/stat  # utime+stime at "
									+ ProbeConsole.BEGIN.strip() + " and " + ProbeConsole.END.strip() + " " + job + "/RUN", guestXmlCommand),
							placement(job) + "-" + rw(job)));
					if (hostUs != null) {
						results.add(result(Metrics.CPU_US_PER_IO, "us", ProbePaths.HOST, subject, hostUs, hostUs, null, List.of(hostCommand),
								placement(job) + "-" + rw(job)));
					}
				}
				else {
					skipped.add(new Skipped(PROBE, ProbePaths.GUEST, placement(job), Metrics.CPU_US_PER_IO, "no QEMU CPU time sampled around every run of " + job));
				}
			}
			if (emulated) {
				notes.add("guest figures are EMULATED: QEMU TCG (type='qemu'), not KVM; they show the cost of this machine's "
						+ "emulation, not what a KVM guest would see");
			}
			notes.add("fio 4k libaio direct=1, " + options.runtimeSeconds() + " s per run, " + sizeMiB + " MiB, one warm-up run then "
					+ options.reps() + " runs per job: median [min-max]; "
					+ "guest against its virtio disk /dev/vda (a raw image in " + session.base() + "), host against a file in the same directory");
			notes.add("cpu-us-per-io: utime+stime of the QEMU process (all threads, /proc/PID/stat) between the guest's markers "
					+ "around each fio job, divided by the job's I/Os (IOPS x runtime); host: fio's own utime+stime per I/O");
			progress.step("cleaning up");
			return session.report(started, deadline, results, skipped, notes);
		}
		catch (IOException e) {
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "probe scratch files: " + e.getMessage());
		}
		finally {
			progress.end();
		}
	}

	private static ProbeResult result(String metric, String unit, String path, String subject, Summary s, Summary baseline,
			Boolean emulated, List<String> commands, String placement) {
		return ProbeResult.builder(PROBE, path, subject, metric, unit, s.median()).spread(s.min(), s.max()).repetitions(s.count())
			.baseline(baseline == null ? null : baseline.median()).emulated(emulated).commands(commands).placement(placement).build();
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
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "interrupted"); // stops the run: not one more host run
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
		return switch (rw(job)) {
			case "randread" -> Metrics.RANDREAD_IOPS;
			case "randwrite" -> Metrics.RANDWRITE_IOPS;
			default -> throw new IllegalArgumentException("no IOPS metric for fio job " + job);
		};
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

	static String format(double v) {
		return String.format(Locale.ROOT, "%.1f", v);
	}
}
