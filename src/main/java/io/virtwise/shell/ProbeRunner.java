package io.virtwise.shell;

import io.virtwise.shell.view.OutputFormat;
import io.virtwise.shell.view.ProbeView;
import io.virtwise.gather.FactsGatherer;
import java.util.function.Supplier;

import io.virtwise.docker.inspect.DockerUnavailableException;
import io.virtwise.kvm.inspect.LibvirtUnavailableException;
import io.virtwise.probe.core.ProbeException;
import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.probe.core.ProbeResults;
import org.springframework.stereotype.Component;

/**
 * What every probe command does around its measurement: one exit code per kind of failure, the
 * report kept for advise with the facts it was taken on, and the same text or JSON view.
 */
@Component
public class ProbeRunner {

	private final ProbeResults results;
	private final ProbeView view;
	private final FactsGatherer gatherer;
	private final CommandOutcome outcome;

	public ProbeRunner(ProbeResults results, ProbeView view, FactsGatherer gatherer, CommandOutcome outcome) {
		this.results = results;
		this.view = view;
		this.gatherer = gatherer;
		this.outcome = outcome;
	}

	/** Runs the probe and shows its report; {@code format} is text or json. */
	public String show(Supplier<ProbeReport> probe, String format, boolean commands) {
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		ProbeReport report;
		try {
			report = probe.get();
		}
		catch (DockerUnavailableException | LibvirtUnavailableException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
		}
		catch (ProbeException e) {
			if (Thread.currentThread().isInterrupted()) {
				throw new VirtwiseException(ExitCodes.INTERRUPTED, "interrupted: what the probe created was removed", e);
			}
			// an unknown container or domain is a wrong value on the command line, as for docker show / kvm show
			if (e.reason() == ProbeException.Reason.BAD_INPUT) {
				throw VirtwiseException.usage(e.getMessage());
			}
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
		}
		catch (ProbeOutputException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, "probe output: " + e.getMessage(), e);
		}
		results.record(report);
		// the session journal keeps what was measured with the facts it was measured on
		outcome.attachFacts(gatherer.gather());
		return chosen == OutputFormat.JSON ? OutputFormat.json(report) : view.text(report, commands);
	}
}
