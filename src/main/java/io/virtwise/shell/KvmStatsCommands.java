package io.virtwise.shell;

import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.virtwise.facts.FactsJson;
import io.virtwise.kvm.LibvirtConnector;
import io.virtwise.kvm.LibvirtUnavailableException;
import io.virtwise.kvm.PassiveStats;
import io.virtwise.probe.ProbeResults;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** Passive per-guest figures from libvirt's counters, kept for advise like probe results. */
@Component
public class KvmStatsCommands {

	private final ProbeResults results;
	private final FactsGatherer gatherer;
	private final CommandOutcome outcome;

	public KvmStatsCommands(ProbeResults results, FactsGatherer gatherer, CommandOutcome outcome) {
		this.results = results;
		this.gatherer = gatherer;
		this.outcome = outcome;
	}

	@Command(name = "kvm stats", group = "KVM", description = "Sample a running guest's I/O rate and host CPU time per I/O, passively",
			help = "Usage: kvm stats NAME [--seconds N]. Reads libvirt's block and CPU-time counters twice, N seconds apart "
					+ "(default 5), without touching the guest; the figures (probe kvm-passive: io-ops-per-s, cpu-us-per-io) "
					+ "join this session's probe results for advise. Halt polling and exit counts are not available "
					+ "through this libvirt binding and are shown as unknown.",
			completionProvider = KvmDomainCompletion.BEAN)
	public String stats(@Argument(index = 0, description = "the domain name") String name,
			@Option(longName = "seconds", description = "sampling window in seconds (1-600, default 5)", defaultValue = "5") double seconds,
			@Option(longName = "libvirt", description = "libvirt URI (default qemu:///system)") String uri,
			@Option(longName = "format", description = "text or json", defaultValue = "text") String format)
			throws JsonProcessingException, InterruptedException {
		if (name == null || name.isBlank()) {
			throw VirtwiseException.usage("kvm stats needs a domain name (see kvm ls)");
		}
		if (!(seconds >= 1 && seconds <= 600)) {
			throw VirtwiseException.usage("--seconds must be between 1 and 600");
		}
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		Connect conn;
		try {
			conn = LibvirtConnector.connect(uri);
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
		catch (LibvirtException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, "libvirt failed while sampling " + name + ": "
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
			return FactsJson.MAPPER.writeValueAsString(w);
		}
		StringBuilder out = new StringBuilder();
		out.append(name).append(": ").append(String.format(Locale.ROOT, "%.1f", w.seconds())).append(" s sampled passively, disks ")
			.append(w.disks().isEmpty() ? "none" : String.join(", ", w.disks())).append('\n');
		out.append("block ops: ").append(w.ioOps() == null ? "unknown" : w.ioOps())
			.append(", io-ops-per-s: ").append(w.ioOpsPerSecond() == null ? "unknown" : String.format(Locale.ROOT, "%.1f", w.ioOpsPerSecond()))
			.append('\n');
		out.append("host CPU time: ").append(String.format(Locale.ROOT, "%.3f", w.cpuSecondsUsed())).append(" s, cpu-us-per-io: ")
			.append(w.cpuUsPerIo() == null ? "unknown (no I/O in the window)" : String.format(Locale.ROOT, "%.1f", w.cpuUsPerIo()))
			.append('\n');
		out.append("halt polling, exits: unknown (needs virConnectGetAllDomainStats, not in this libvirt binding)");
		return out.toString();
	}
}
