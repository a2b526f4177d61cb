package io.virtwise.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.virtwise.facts.FactsJson;
import io.virtwise.kvm.GuestIoProbe;
import io.virtwise.kvm.LibvirtUnavailableException;
import io.virtwise.probe.ProbeException;
import io.virtwise.probe.ProbeOutputException;
import io.virtwise.probe.ProbeReport;
import io.virtwise.probe.ProbeResults;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** {@code probe kvm}: guest disk I/O against the host's, from a throwaway probe guest. */
@Component
public class KvmProbeCommands {

	private final GuestIoProbe probe;
	private final ProbeResults results;
	private final ProbeView view;
	private final FactsGatherer gatherer;
	private final CommandOutcome outcome;
	@org.springframework.beans.factory.annotation.Autowired // a field, to leave the constructor to the probe's own refactor
	private LibvirtUri libvirt;

	public KvmProbeCommands(GuestIoProbe probe, ProbeResults results, ProbeView view, FactsGatherer gatherer,
			CommandOutcome outcome) {
		this.probe = probe;
		this.results = results;
		this.view = view;
		this.gatherer = gatherer;
		this.outcome = outcome;
	}

	@Command(name = "probe kvm", group = "Probe", description = "Measure a KVM guest's disk I/O against the host's",
			help = "Boots a throwaway vwprobe-<run> libvirt domain from the probe guest (scripts/build-probe-guest: a Debian "
					+ "kernel and a busybox initramfs with fio), runs fio 4k random read and write at queue depth 1 and 32 "
					+ "against its virtio disk, and the same jobs on the host against a file in the same directory; shows "
					+ "each guest figure as a ratio to the host's, and the host CPU time the QEMU process spends per guest I/O. "
					+ "--guest NAME copies that domain's CPU mode and topology, pinning, memory backing and disk cache/io; "
					+ "the domain itself and its disk are only read. Where /dev/kvm cannot boot a guest (PVM) the probe guest "
					+ "runs under TCG and every guest figure is labelled emulated. The domain, its disk image and console "
					+ "log are removed afterwards, also on failure and Ctrl-C.",
			completionProvider = KvmDomainCompletion.BEAN)
	public String probeKvm(@Option(longName = "guest", description = "copy this domain's CPU, memory and disk settings") String guest,
			@Option(longName = "quick", description = "2 s per fio job instead of 3, smaller disk") boolean quick,
			@Option(longName = "libvirt", description = LibvirtUri.OPTION_HELP) String uri,
			@Option(longName = "format", description = "text or json", defaultValue = "text") String format,
			@Option(longName = "commands", description = "show the domain XML and command lines behind every figure") boolean commands)
			throws JsonProcessingException {
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		ProbeReport report;
		try {
			report = probe.run(GuestIoProbe.Options.of(guest, quick, libvirt.choose(uri)), ProgressBar.forStderr());
		}
		catch (LibvirtUnavailableException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
		}
		catch (ProbeException e) {
			if (e.reason() == ProbeException.Reason.BAD_INPUT) {
				throw VirtwiseException.usage(e.getMessage());
			}
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
		}
		catch (ProbeOutputException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, "probe guest output: " + e.getMessage(), e);
		}
		results.record(report);
		// the session journal keeps what was measured with the facts it was measured on
		outcome.attachFacts(gatherer.gather());
		return chosen == OutputFormat.JSON ? FactsJson.MAPPER.writeValueAsString(report) : view.text(report, commands);
	}
}
