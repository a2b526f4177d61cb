package io.virtwise.facts;

import java.util.Set;

/** The {@link ProbeResult#probe()} ids, shared by the probes that emit them and the rules that match them. */
public final class Probes {

	public static final String DOCKER_NETWORK = "docker-network";
	public static final String DOCKER_STORAGE = "docker-storage";
	public static final String KVM_CPU = "kvm-cpu";
	public static final String KVM_IO = "kvm-io";
	/** libvirt's own counters of a running guest, read without a workload. */
	public static final String KVM_PASSIVE = "kvm-passive";

	public static final Set<String> ALL = Set.of(DOCKER_NETWORK, DOCKER_STORAGE, KVM_CPU, KVM_IO, KVM_PASSIVE);

	private Probes() {
	}
}
