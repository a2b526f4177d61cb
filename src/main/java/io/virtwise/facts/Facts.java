package io.virtwise.facts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Everything virtwise knows about one machine at one moment: the single vocabulary that
 * inspectors produce, rules read and sessions store. A {@code null} field means "unknown",
 * never zero.
 *
 * @param kvmUnavailable why libvirt's node and guests are missing although they were asked for
 *        (libvirtd down, the library missing); {@code null} when they were gathered or not asked for
 * @param dockerUnavailable why the engine and its containers are missing (no engine answering, the
 *        socket not permitted); {@code null} when they were gathered or the facts came from elsewhere
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Facts(
		int schemaVersion,
		String collectedAt,
		String source,
		HostFacts host,
		List<ContainerFacts> containers,
		List<GuestFacts> guests,
		List<ProbeResult> probes,
		EngineFacts docker,
		KvmNodeFacts kvmNode,
		String kvmUnavailable,
		String dockerUnavailable) {

	/** Bumped whenever a field changes meaning; readers refuse files from a newer schema. */
	public static final int SCHEMA_VERSION = 1;

	public Facts {
		containers = containers == null ? List.of() : List.copyOf(containers);
		guests = guests == null ? List.of() : List.copyOf(guests);
		probes = probes == null ? List.of() : List.copyOf(probes);
	}

	public Facts(int schemaVersion, String collectedAt, String source, HostFacts host, List<ContainerFacts> containers,
			List<GuestFacts> guests, List<ProbeResult> probes, EngineFacts docker, KvmNodeFacts kvmNode, String kvmUnavailable) {
		this(schemaVersion, collectedAt, source, host, containers, guests, probes, docker, kvmNode, kvmUnavailable, null);
	}

	public Facts(int schemaVersion, String collectedAt, String source, HostFacts host, List<ContainerFacts> containers,
			List<GuestFacts> guests, List<ProbeResult> probes, EngineFacts docker, KvmNodeFacts kvmNode) {
		this(schemaVersion, collectedAt, source, host, containers, guests, probes, docker, kvmNode, null);
	}

	public Facts(int schemaVersion, String collectedAt, String source, HostFacts host, List<ContainerFacts> containers,
			List<GuestFacts> guests, List<ProbeResult> probes) {
		this(schemaVersion, collectedAt, source, host, containers, guests, probes, null, null);
	}

	public Facts(int schemaVersion, String collectedAt, String source, HostFacts host, List<ContainerFacts> containers,
			List<GuestFacts> guests, List<ProbeResult> probes, EngineFacts docker) {
		this(schemaVersion, collectedAt, source, host, containers, guests, probes, docker, null);
	}

	public static Facts ofHost(HostFacts host, String collectedAt, String source) {
		return new Facts(SCHEMA_VERSION, collectedAt, source, host, List.of(), List.of(), List.of(), null, null);
	}

	public Facts withDocker(EngineFacts engine, List<ContainerFacts> newContainers) {
		return new Facts(schemaVersion, collectedAt, source, host, newContainers, guests, probes, engine, kvmNode,
				kvmUnavailable, null);
	}

	/** These facts without an engine and containers, and why. */
	public Facts withDockerUnavailable(String why) {
		return new Facts(schemaVersion, collectedAt, source, host, List.of(), guests, probes, null, kvmNode, kvmUnavailable, why);
	}

	public Facts withSource(String newSource) {
		return new Facts(schemaVersion, collectedAt, newSource, host, containers, guests, probes, docker, kvmNode,
				kvmUnavailable, dockerUnavailable);
	}

	public Facts withProbes(List<ProbeResult> newProbes) {
		return new Facts(schemaVersion, collectedAt, source, host, containers, guests, newProbes, docker, kvmNode,
				kvmUnavailable, dockerUnavailable);
	}

	public Facts withKvm(KvmNodeFacts node, List<GuestFacts> newGuests) {
		return new Facts(schemaVersion, collectedAt, source, host, containers, newGuests, probes, docker, node, null,
				dockerUnavailable);
	}

	/** These facts without libvirt's node and guests, and why. */
	public Facts withKvmUnavailable(String why) {
		return new Facts(schemaVersion, collectedAt, source, host, containers, List.of(), probes, docker, null, why,
				dockerUnavailable);
	}
}
