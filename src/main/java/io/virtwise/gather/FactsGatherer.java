package io.virtwise.gather;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.virtwise.docker.inspect.DockerAccess;
import io.virtwise.docker.inspect.DockerInspector;
import io.virtwise.docker.inspect.DockerUnavailableException;
import io.virtwise.facts.Facts;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.ProbeResult;
import io.virtwise.host.HostInspector;
import io.virtwise.kvm.inspect.KvmInspector;
import io.virtwise.kvm.inspect.LibvirtConnector;
import io.virtwise.redact.Redactor;

/**
 * Gathers the facts of this machine from every inspector that can reach something, and keeps
 * the last result so {@code facts export} writes what {@code advise} just used. Facts imported
 * with {@code facts import} take the place of live ones until cleared.
 */
public final class FactsGatherer {

	// one thread each for Docker and libvirt while this thread reads the host; daemons, so a hung daemon call never holds the exit
	private static final ExecutorService INSPECTORS = Executors.newCachedThreadPool(task -> {
		Thread thread = new Thread(task, "virtwise-facts");
		thread.setDaemon(true);
		return thread;
	});

	private final Supplier<HostFacts> hostInspector;
	private final Supplier<DockerInspector.Snapshot> docker;
	private final Supplier<Optional<KvmInspector.Snapshot>> kvm;
	private final Supplier<List<ProbeResult>> probes;
	private volatile Facts last;
	// While a session replays, commands see the recorded facts instead of this machine.
	private volatile Facts replaying;
	private volatile Facts imported;
	private volatile List<String> importedFrom = List.of();

	public FactsGatherer(HostInspector hostInspector) {
		this(hostInspector, null, Optional::empty, List::of);
	}

	/**
	 * @param docker the engine, asked on every gather; null for host facts only
	 * @param kvm libvirt's node and domains, empty when libvirt is not to be asked; what it throws
	 *        is kept in the facts as the reason they have no guests, for advise to say
	 * @param probes the figures this session's probes measured, which rules cite as evidence
	 */
	public FactsGatherer(HostInspector hostInspector, DockerAccess docker, Supplier<Optional<KvmInspector.Snapshot>> kvm,
			Supplier<List<ProbeResult>> probes) {
		this(hostInspector::inspect, docker == null ? null : () -> docker.use(DockerInspector::inspect), kvm, probes);
	}

	/** @param docker the engine's containers, throwing DockerUnavailableException when it does not answer; null for none */
	FactsGatherer(Supplier<HostFacts> hostInspector, Supplier<DockerInspector.Snapshot> docker,
			Supplier<Optional<KvmInspector.Snapshot>> kvm, Supplier<List<ProbeResult>> probes) {
		this.hostInspector = hostInspector;
		this.docker = docker;
		this.kvm = kvm;
		this.probes = probes;
	}

	public HostFacts host() {
		Facts recorded = replaying;
		return recorded != null ? recorded.host() : hostInspector.get();
	}

	/** Runs {@code work} with the recorded facts standing in for the live machine. */
	public <T> T withRecordedFacts(Facts recorded, java.util.function.Supplier<T> work) {
		replaying = recorded;
		try {
			return work.get();
		}
		finally {
			replaying = null;
		}
	}

	/** This machine now: the host, plus the engine and its containers when an engine answers. */
	public Facts gather() {
		Facts recorded = replaying;
		if (recorded != null) {
			return recorded;
		}
		// the host, Docker and libvirt answer independently: ask all three at once
		Future<UnaryOperator<Facts>> containers = docker == null ? null : INSPECTORS.submit(this::dockerFacts);
		Future<UnaryOperator<Facts>> guests = INSPECTORS.submit(this::kvmFacts);
		Facts facts;
		try {
			facts = Facts.ofHost(host(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "live");
			if (containers != null) {
				facts = finished(containers).apply(facts);
			}
			facts = finished(guests).apply(facts);
		}
		finally {
			// after an interrupt or a failure the others' answers are of no use: stop them (a no-op when done)
			if (containers != null) {
				containers.cancel(true);
			}
			guests.cancel(true);
		}
		List<ProbeResult> measured = probes.get();
		if (!measured.isEmpty()) {
			facts = facts.withProbes(measured);
		}
		// an inspector that swallowed Ctrl-C must not turn it into advice on facts cut short
		if (Thread.currentThread().isInterrupted()) {
			throw new GatheringInterruptedException(null);
		}
		last = facts;
		return facts;
	}

	/** The engine and its containers added to the facts, or the reason there are none. */
	private UnaryOperator<Facts> dockerFacts() {
		// No engine is no error: host advice stands on its own, with the reason kept for advise to say,
		// so that "no Docker findings" is not read as well-configured containers.
		try {
			DockerInspector.Snapshot snapshot = docker.get();
			return facts -> facts.withDocker(snapshot.engine(), snapshot.containers());
		}
		catch (DockerUnavailableException | IllegalArgumentException e) {
			// a DOCKER_HOST docker-java cannot use (ssh://) must not cost the host and KVM advice
			return facts -> facts.withDockerUnavailable(Redactor.redact(e.getMessage()));
		}
	}

	/** libvirt's node and guests added to the facts, or the reason there are none. */
	private UnaryOperator<Facts> kvmFacts() {
		try {
			Optional<KvmInspector.Snapshot> guests = kvm.get();
			return facts -> guests.isPresent() ? facts.withKvm(guests.get().node(), guests.get().guests()) : facts;
		}
		catch (RuntimeException | LinkageError e) {
			// Host and Docker advice stand without libvirt, but dropping every guest silently would read as "all fine".
			String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
					: Redactor.redact(LibvirtConnector.oneLine(e.getMessage()));
			return facts -> facts.withKvmUnavailable(why);
		}
	}

	/**
	 * One inspector's answer, waited for. An interrupt (Ctrl-C) is not swallowed: the flag stays set
	 * and the command ends as interrupted, with nothing partial to print.
	 */
	private static UnaryOperator<Facts> finished(Future<UnaryOperator<Facts>> inspection) {
		try {
			return inspection.get();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new GatheringInterruptedException(e);
		}
		catch (ExecutionException e) {
			if (e.getCause() instanceof RuntimeException r) {
				throw r;
			}
			if (e.getCause() instanceof Error err) {
				throw err;
			}
			throw new IllegalStateException(e.getCause());
		}
	}

	/** What advice is computed on: imported facts if any, else this machine now. */
	public Facts current() {
		Facts recorded = replaying;
		if (recorded != null) {
			return recorded;
		}
		Facts facts = imported;
		return facts != null ? facts : gather();
	}

	/** Where {@link #current()} comes from, for the advice summary; a replay keeps the origin recorded. */
	public String currentOrigin() {
		Facts recorded = replaying;
		if (recorded != null && recorded.source() != null && !"live".equals(recorded.source())) {
			return recorded.source();
		}
		return recorded == null && imported != null ? "imported " + String.join(", ", importedFrom) : "this host";
	}

	public Facts lastOrGather() {
		Facts facts = imported;
		if (facts != null) {
			return facts;
		}
		facts = last;
		return facts != null ? facts : gather();
	}

	/** Imported facts so far, if any (the base the next import merges into). */
	public Optional<Facts> imported() {
		return Optional.ofNullable(imported);
	}

	public synchronized void setImported(Facts facts, List<String> files) {
		List<String> from = new ArrayList<>(imported == null ? List.of() : importedFrom);
		files.stream().filter(f -> !from.contains(f)).forEach(from::add);
		importedFrom = List.copyOf(from);
		imported = facts;
	}

	/** Back to live facts. */
	public synchronized void clearImported() {
		imported = null;
		importedFrom = List.of();
	}
}
