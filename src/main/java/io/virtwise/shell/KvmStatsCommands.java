package io.virtwise.shell;

import io.virtwise.shell.view.OutputFormat;
import io.virtwise.gather.FactsGatherer;
import java.util.Locale;

import io.virtwise.kvm.inspect.DomainStatsBinding;
import io.virtwise.kvm.inspect.LibvirtConnector;
import io.virtwise.kvm.inspect.LibvirtUnavailableException;
import io.virtwise.kvm.inspect.PassiveStats;
import io.virtwise.probe.core.ProbeResults;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** Passive per-guest figures from libvirt's counters, kept for advise like probe results. */
@Component
public class KvmStatsCommands {

	static final double DEFAULT_WINDOW_SECONDS = 5;

	private final ProbeResults results;
	private final FactsGatherer gatherer;
	private final CommandOutcome outcome;
	private final LibvirtUri libvirt;

	public KvmStatsCommands(ProbeResults results, FactsGatherer gatherer, CommandOutcome outcome, LibvirtUri libvirt) {
		this.results = results;
		this.gatherer = gatherer;
		this.outcome = outcome;
		this.libvirt = libvirt;
	}

	@Command(name = "kvm stats", group = "KVM",
			description = "Sample a running guest's I/O rate, CPU per I/O, vCPU time, halt polling and exits, passively",
			help = "Usage: kvm stats NAME [--seconds N]. Reads libvirt's domain stats (virDomainListGetStats: block, CPU "
					+ "total, per-vCPU) twice, N seconds apart (default 5), without touching the guest; the figures (probe "
					+ "kvm-passive: io-ops-per-s, cpu-us-per-io, vcpu-ms-per-s, haltpoll-ms-per-s, haltpoll-pct-of-vcpu, "
					+ "exits-per-s) join this session's probe results for advise. Halt polling and exits exist only under "
					+ "KVM: for a TCG guest they are not applicable; what libvirt does not report is shown as unknown.",
			completionProvider = NameCompletion.DOMAINS)
	public String stats(@Argument(index = 0, description = "the domain name") String name,
			@Option(longName = "seconds", description = "sampling window in seconds (1-600, default 5)") Double window,
			@Option(longName = "libvirt", description = LibvirtUri.OPTION_HELP) String uri,
			@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format)
			throws InterruptedException {
		if (name == null || name.isBlank()) {
			throw VirtwiseException.usage("kvm stats needs a domain name (see kvm ls)");
		}
		// without --seconds the option arrives empty (an annotation defaultValue on a double came through as 0)
		double seconds = window == null ? DEFAULT_WINDOW_SECONDS : window;
		if (!(seconds >= 1 && seconds <= 600)) {
			throw VirtwiseException.usage("--seconds must be between 1 and 600");
		}
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		Connect conn;
		try {
			conn = LibvirtConnector.connect(libvirt.choose(uri));
		}
		catch (LibvirtUnavailableException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
		}
		PassiveStats.Window w;
		try {
			try {
				conn.domainLookupByName(name);
			}
			catch (LibvirtException e) {
				throw VirtwiseException.usage("no libvirt domain named '" + name + "' (see kvm ls)");
			}
			w = PassiveStats.sample(conn, name, seconds);
		}
		catch (PassiveStats.NotRunningException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
		}
		catch (DomainStatsBinding.StatsException e) {
			throw failedWhileSampling(conn, name, "libvirt domain stats of " + name + ": " + e.getMessage(), e);
		}
		catch (LibvirtException e) {
			throw failedWhileSampling(conn, name, "libvirt failed while sampling " + name + ": "
					+ LibvirtConnector.oneLine(e.getMessage()), e);
		}
		finally {
			try {
				conn.close();
			}
			catch (LibvirtException e) {
				// nothing left to do with it
			}
		}
		results.recordPassive(w.results());
		outcome.attachFacts(gatherer.gather());
		if (chosen == OutputFormat.JSON) {
			return OutputFormat.json(w);
		}
		return text(name, w);
	}

	/** A dead connection means libvirtd went away in the window (restarted or stopped): say that, not the socket error. */
	private static VirtwiseException failedWhileSampling(Connect conn, String name, String message, Exception e) {
		if (!LibvirtConnector.alive(conn)) {
			return new VirtwiseException(ExitCodes.UNAVAILABLE, "libvirtd went away while sampling " + name
					+ " (restarted or stopped); nothing was kept: run kvm stats again once it answers", e);
		}
		return new VirtwiseException(ExitCodes.UNAVAILABLE, message, e);
	}

	static String text(String name, PassiveStats.Window w) {
		StringBuilder out = new StringBuilder();
		out.append(name).append(": ").append(fixed(w.seconds(), 1)).append(" s sampled passively (libvirt domain stats), ")
			.append(w.emulated() == null ? "acceleration unknown" : w.emulated() ? "TCG (emulated)" : "KVM").append(", ")
			.append(w.vcpus() == null ? "vCPUs unknown" : w.vcpus() + (w.vcpus() == 1 ? " vCPU" : " vCPUs")).append(", disks ")
			.append(w.disks().isEmpty() ? "none" : String.join(", ", w.disks())).append('\n');
		if (w.countersWentBack()) {
			out.append("the guest restarted inside the window (its counters went back): what went back is unknown; "
					+ "run kvm stats again\n");
		}
		out.append("block ops: ").append(w.ioOps() == null ? "unknown" : w.ioOps())
			.append(", io-ops-per-s: ").append(w.ioOpsPerSecond() == null ? "unknown" : fixed(w.ioOpsPerSecond(), 1)).append('\n');
		out.append("host CPU time: ").append(w.cpuSecondsUsed() == null ? "unknown" : fixed(w.cpuSecondsUsed(), 3) + " s")
			.append(", cpu-us-per-io: ")
			.append(w.cpuUsPerIo() != null ? fixed(w.cpuUsPerIo(), 1) : w.ioOps() != null && w.ioOps() == 0 ? "unknown (no I/O in the window)" : "unknown")
			.append('\n');
		out.append("vCPU time: ").append(w.vcpuSeconds() == null ? "unknown"
				: fixed(w.vcpuSeconds(), 3) + " s, vcpu-ms-per-s: " + fixed(w.vcpuMsPerSecond(), 1)).append('\n');
		// halt polling and exits are KVM mechanisms: under TCG there is nothing to measure
		String missing = Boolean.TRUE.equals(w.emulated()) ? "not applicable (TCG: no KVM halt polling or exits)"
				: w.emulated() == null ? "unknown (acceleration unknown)" : "unknown (not reported by this libvirt/QEMU)";
		out.append("halt polling: ").append(w.haltPollSeconds() == null ? missing
				: fixed(w.haltPollSeconds(), 3) + " s, haltpoll-ms-per-s: " + fixed(w.haltPollMsPerSecond(), 1)
						+ ", haltpoll-pct-of-vcpu: " + (w.haltPollPercentOfVcpu() == null ? "unknown (no vCPU time)"
								: fixed(w.haltPollPercentOfVcpu(), 1)))
			.append('\n');
		out.append("exits: ").append(w.exits() == null ? missing : w.exits() + ", exits-per-s: " + fixed(w.exitsPerSecond(), 1));
		return out.toString();
	}

	private static String fixed(Double v, int decimals) {
		return v == null ? "unknown" : String.format(Locale.ROOT, "%." + decimals + "f", v);
	}
}
