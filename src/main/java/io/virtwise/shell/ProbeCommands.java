package io.virtwise.shell;

import io.virtwise.shell.view.OutputFormat;
import io.virtwise.shell.view.ProgressBar;
import io.virtwise.probe.docker.DockerProbe;
import io.virtwise.probe.core.ProbeOptions;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** {@code probe docker}: Docker's network and storage paths against the host's own. */
@Component
public class ProbeCommands {

	private final DockerProbe probe;
	private final ProbeRunner runner;

	public ProbeCommands(DockerProbe probe, ProbeRunner runner) {
		this.probe = probe;
		this.runner = runner;
	}

	@Command(name = "probe docker", group = "Probe", description = "Measure Docker's network and storage paths against native",
			help = "Runs sockperf (TCP round trip), iperf3 (throughput) and fio (4k random IOPS, 1 MiB sequential MB/s), "
					+ "small-file create/delete and overlay copy-up in containers of virtwise/probe, and shows each figure "
					+ "as a ratio to the host's own loopback or directory. --container NAME measures the paths that "
					+ "container uses, from sidecars that join its network namespace and mount its volumes; the container "
					+ "itself is never entered or changed; up to 64 MiB of scratch files go into a .virtwise-probe-<run> "
					+ "directory of its first read-write bind mount and volume and are removed afterwards; without a "
					+ "read-write volume its writable layer is compared with a fresh scratch volume of the run. "
					+ "Done within 2 minutes (--quick: 30 s); what does not fit is "
					+ "listed as skipped. Everything created is labelled io.virtwise.probe=<run> and removed afterwards, "
					+ "also on failure or Ctrl-C; --keep leaves a completed run's containers, volume, directories and fio "
					+ "files in place, so the command lines behind its figures (--commands) can be run again by hand on "
					+ "the very same files, and says how to remove them (the next probe docker does).",
			completionProvider = NameCompletion.CONTAINERS)
	public String probeDocker(
			@Option(longName = "container", description = "measure the paths this container uses") String container,
			@Option(longName = "quick", description = "finish within 30 s (fewer repetitions and paths)") boolean quick,
			@Option(longName = "only", description = "network or storage") String only,
			@Option(longName = "reps", description = "repetitions per measurement (default 5, --quick 3; fewer where they would not fit the time limit, which the report says)") Integer reps,
			@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format,
			@Option(longName = "commands", description = "show the command lines behind every figure") boolean commands,
			@Option(longName = "keep", description = "leave the probe containers and files for a by-hand rerun") boolean keep) {
		ProbeOptions options;
		try {
			options = ProbeOptions.of(container, quick, only, reps).withKeep(keep);
		}
		catch (IllegalArgumentException e) {
			throw VirtwiseException.usage(e.getMessage());
		}
		return runner.show(() -> probe.run(options, ProgressBar.forStderr()), format, commands);
	}
}
