package io.virtwise.probe.docker;

import io.virtwise.probe.core.Deadline;
import io.virtwise.probe.core.Findings;
import io.virtwise.probe.core.ProbeException;
import io.virtwise.probe.core.ProbeOptions;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.probe.core.ProbeTarget;
import io.virtwise.probe.core.RunId;
import io.virtwise.probe.core.Skipped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Ports;
import io.virtwise.docker.inspect.DockerUnavailableException;
import io.virtwise.host.HostRoots;

/**
 * Runs {@code probe docker}: checks what it needs before creating anything, sweeps the
 * leftovers of killed runs, plans within the deadline, runs the network and storage probes,
 * and removes everything it created, also when it fails or is interrupted.
 */
public final class DockerProbe {

	/** Kept back from the deadline for removing containers, volumes, the copy-up image and directories. */
	static final Duration CLEANUP_RESERVE = Duration.ofSeconds(5);

	private final Function<String, DockerClient> connector;
	private final boolean localEngine;
	private final HostRoots roots;

	/**
	 * @param connector connects to the engine (DockerConnector::connect), throwing when it is down
	 * @param localEngine whether the engine runs on this machine, so host directories can be bind-mounted
	 */
	public DockerProbe(Function<String, DockerClient> connector, boolean localEngine) {
		this(connector, localEngine, HostRoots.live());
	}

	/** @param roots this machine's /proc and /sys, read for the storage probe's notes when the engine runs here */
	public DockerProbe(Function<String, DockerClient> connector, boolean localEngine, HostRoots roots) {
		this.connector = connector;
		this.localEngine = localEngine;
		this.roots = roots;
	}

	public ProbeReport run(ProbeOptions options, ProbeProgress progress) {
		long start = System.nanoTime();
		Deadline deadline = new Deadline(options.deadline(), CLEANUP_RESERVE);
		DockerClient docker = connector.apply(null);
		DockerEngine engine = new DockerClientEngine(docker);
		if (!engine.hasImage(options.image())) {
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe image " + options.image()
					+ " is not on this engine (scripts/lab-up builds it)");
		}
		ProbeTarget target = options.container() == null ? null : target(docker, options.container());
		Findings findings = new Findings();
		List<String> swept;
		RunId runId = RunId.create();
		ProbeProgress steps = stopAtCtrlC(progress);
		try (ProbeSandbox sandbox = new ProbeSandbox(engine, ProbeSandbox.TEMP_ROOT, runId, options.image())) {
			try {
				swept = measure(sandbox, options, target, deadline, steps, findings);
				stopIfInterrupted();
				// a failed measurement is a skip, so a vanished engine or container shows only here
				ensureStillThere(sandbox, target, null);
				if (options.keep()) {
					// only a completed run: a failed or interrupted one is removed as always
					findings.note(sandbox.keep());
				}
			}
			catch (ProbeException | DockerUnavailableException e) {
				stopIfInterrupted();
				throw e;
			}
			catch (RuntimeException e) {
				stopIfInterrupted();
				ensureStillThere(sandbox, target, e);
				throw e;
			}
			progress.step(options.keep() ? "keeping probe containers, volumes and files (--keep)"
					: "removing probe containers, volumes and images");
		}
		finally {
			progress.end();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		return new ProbeReport(runId.value(), target == null ? "lab" : target.name(), seconds, deadline.totalSeconds(),
				findings.results(), findings.skipped(), findings.notes(), swept);
	}

	/**
	 * Ctrl-C in the shell interrupts the command's thread. A failed step is a skip and the run goes
	 * on, so the next step is where an interrupted run stops; the sandbox then removes what it made.
	 */
	private static ProbeProgress stopAtCtrlC(ProbeProgress progress) {
		return new ProbeProgress() {
			@Override
			public void begin(int steps) {
				progress.begin(steps);
			}

			@Override
			public void step(String label) {
				stopIfInterrupted();
				progress.step(label);
			}

			@Override
			public void end() {
				progress.end();
			}
		};
	}

	private static void stopIfInterrupted() {
		if (Thread.currentThread().isInterrupted()) {
			throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "interrupted");
		}
	}

	/** Sweeps, plans within the deadline and runs the probes; returns what the sweep removed. */
	private List<String> measure(ProbeSandbox sandbox, ProbeOptions options, ProbeTarget target, Deadline deadline,
			ProbeProgress progress, Findings findings) {
		progress.begin(1);
		progress.step("sweeping leftovers of earlier runs");
		List<String> swept = sandbox.sweepLeftovers();
		List<Skipped> pathSkips = new ArrayList<>();
		List<String> paths = options.network() ? NetworkProbe.paths(target, pathSkips) : List.of();
		pathSkips.forEach(findings::skip);
		ProbePlan plan = ProbePlan.fit(options.network() && !paths.isEmpty(), options.storage(), paths.size(),
				options.reps(), options.quick(), deadline.remainingSeconds());
		plan.cuts().forEach(findings::skip);
		findings.note("plan: " + plan);
		progress.begin(plan.steps() + 1);
		if (plan.network()) {
			new NetworkProbe(sandbox, target, plan, deadline, progress, findings).run(paths);
		}
		if (plan.storage() && !deadline.allows(plan.storageFirstRoundSeconds())) {
			findings.skip(storageLeftOut(options, deadline.remainingSeconds(), plan.storageFirstRoundSeconds()));
		}
		else if (plan.storage()) {
			try {
				new StorageProbe(sandbox, target, plan, deadline, progress, findings, localEngine, roots).run(options.keep());
			}
			catch (IOException e) {
				throw new UncheckedIOException("storage probe: " + e.getMessage(), e);
			}
		}
		return swept;
	}

	/** The storage half did not fit after the network half: say so, and how to measure it on its own. */
	static Skipped storageLeftOut(ProbeOptions options, double leftSeconds, double firstRoundSeconds) {
		String alone = "probe docker" + (options.container() == null ? "" : " --container " + options.container())
				+ (options.quick() ? " --quick" : "") + " --only storage";
		return new Skipped(StorageProbe.PROBE, null, null, "all", String.format(Locale.ROOT,
				"deadline: %.0f s left after the network probe, one storage round needs about %.0f s; '%s' measures it alone",
				Math.max(0, leftSeconds), firstRoundSeconds, alone));
	}

	/**
	 * Fails with one line when the engine stopped answering or the measured container went away
	 * during the run: the figures taken so far would describe something that no longer exists.
	 */
	static void ensureStillThere(ProbeSandbox sandbox, ProbeTarget target, RuntimeException cause) {
		DockerEngine engine = sandbox.engine();
		RunId runId = sandbox.runId();
		try {
			engine.ping();
		}
		catch (RuntimeException down) {
			sandbox.engineLossReported();
			throw new DockerUnavailableException("the Docker engine stopped answering during the probe (" + oneLine(down)
					+ "); nothing measured is kept, and what the run created (label " + RunId.LABEL + "=" + runId.value()
					+ ") is removed by the next probe docker", cause);
		}
		if (target == null) {
			return;
		}
		if (!engine.containerExists(target.id())) {
			throw new ProbeException(ProbeException.Reason.BAD_INPUT, "container '" + target.name()
					+ "' went away during the probe; nothing measured is kept");
		}
	}

	/**
	 * Our own line for a hung engine says which request went unanswered; otherwise the innermost
	 * cause says what went wrong with the socket (docker-java wraps it twice).
	 */
	private static String oneLine(Throwable e) {
		if (e instanceof DockerUnavailableException) {
			return e.getMessage();
		}
		Throwable root = e;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return NetworkProbe.message(root);
	}

	/** Reads the container's network and mounts; fails with one line when there is no such container. */
	static ProbeTarget target(DockerClient docker, String name) {
		InspectContainerResponse inspect;
		try {
			inspect = docker.inspectContainerCmd(name).exec();
		}
		catch (NotFoundException e) {
			throw new ProbeException(ProbeException.Reason.BAD_INPUT, "no container named '" + name + "' on this engine");
		}
		String containerName = inspect.getName() == null ? name : inspect.getName().replaceFirst("^/", "");
		boolean running = inspect.getState() != null && Boolean.TRUE.equals(inspect.getState().getRunning());
		String mode = inspect.getHostConfig() == null ? null : inspect.getHostConfig().getNetworkMode();
		String network = null;
		String ip = null;
		String gateway = null;
		boolean loopback = false;
		boolean address = false;
		if (inspect.getNetworkSettings() != null) {
			Map<String, ContainerNetwork> networks = inspect.getNetworkSettings().getNetworks();
			if (networks != null) {
				for (Map.Entry<String, ContainerNetwork> n : networks.entrySet()) {
					String nip = n.getValue().getIpAddress();
					if (nip != null && !nip.isBlank()) {
						network = n.getKey();
						ip = nip;
						gateway = n.getValue().getGateway();
						break;
					}
				}
			}
			Ports ports = inspect.getNetworkSettings().getPorts();
			if (ports != null) {
				for (Ports.Binding[] bindings : ports.getBindings().values()) {
					if (bindings == null) {
						continue;
					}
					for (Ports.Binding b : bindings) {
						String host = b.getHostIp() == null ? "" : b.getHostIp();
						boolean any = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
						loopback |= any || host.startsWith("127.");
						address |= any || !host.startsWith("127.") && !host.equals("::1");
					}
				}
			}
		}
		List<String> binds = new ArrayList<>();
		List<String> volumes = new ArrayList<>();
		if (inspect.getMounts() != null) {
			for (InspectContainerResponse.Mount m : inspect.getMounts()) {
				if (!Boolean.TRUE.equals(m.getRW()) || m.getDestination() == null) {
					continue;
				}
				(m.getName() != null && !m.getName().isBlank() ? volumes : binds).add(m.getDestination().getPath());
			}
		}
		return new ProbeTarget(containerName, inspect.getId(), running, mode, network, ip, gateway, loopback, address,
				binds, volumes);
	}
}
