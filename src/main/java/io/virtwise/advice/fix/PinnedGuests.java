package io.virtwise.advice.fix;

import io.virtwise.facts.CpuSets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.HostFacts;

/**
 * The guests' pinned CPUs, worked out once per evaluation so that the container rule matches each
 * container against one fact instead of re-collecting every guest per container (which grew as
 * containers x guests, in time and memory).
 */
public final class PinnedGuests {

	private final HostFacts host;
	private final List<GuestFacts> pinned;
	private final List<?> allGuests;
	private final int runningContainers;
	private final SortedSet<Integer> pinnedCpus;
	private SortedSet<Integer> hostCpus;
	private final Map<List<String>, Optional<ContainerLimits>> limits = new HashMap<>();
	// guests pinned to the same CPUs collide with the same containers: one overlap test per distinct set
	private final Map<Set<Integer>, List<Integer>> guestsByCpus = new LinkedHashMap<>();
	private final Map<Set<Integer>, Collisions> collisions = new HashMap<>();
	// thousands of containers share a handful of cpusets and limits: parse and word each of those once
	private final Map<List<String>, Optional<SortedSet<Integer>>> cpusets = new HashMap<>();
	private final Map<FixKey, Optional<ContainerFix>> fixes = new HashMap<>();

	/**
	 * The first {@link #NAMED} colliding guests in guest order, how many collide in all, and the
	 * named guests' pinned CPUs as Docker writes a cpuset (in the same order).
	 */
	public record Collisions(List<GuestFacts> named, int count, List<String> namedPinnedCpus) {
	}

	/**
	 * What the finding proposes for every container with the same cpuset and the same limits unset.
	 *
	 * @param cpus the container's CPUs, empty when it has no cpuset
	 * @param limits the share it is offered
	 * @param colliding the guests pinned to its CPUs
	 * @param cpuLimit the --cpus to set, null when the container has a CPU limit
	 * @param memoryBytes the --memory to set, null when it has a memory limit or the share is unknown
	 * @param updateOptions {@code docker update}'s options for those limits ({@link DockerRunEdits#updateOptions})
	 * @param runOptions the same limits as {@code docker run} options ({@link ContainerLimits#runOptions})
	 * @param basis how the figures were reached ({@link ContainerLimits#basis})
	 * @param rollbackCpuset the cpuset to go back to: the container's own, or every CPU of the host
	 */
	public record ContainerFix(SortedSet<Integer> cpus, ContainerLimits limits, Collisions colliding, Double cpuLimit,
			Long memoryBytes, String updateOptions, String runOptions, String basis, String rollbackCpuset) {

		// One instance per configuration, hashed per container by the engine: a deep record hash cost more than the rule.
		@Override
		public boolean equals(Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this);
		}
	}

	private record FixKey(List<String> cpuset, boolean hasCpuLimit, boolean hasMemoryLimit) {
	}

	/** How many colliding guests a finding names; with hundreds, the list would drown it. */
	public static final int NAMED = 5;

	private PinnedGuests(HostFacts host, List<GuestFacts> pinned, List<?> allGuests, int runningContainers) {
		this.host = host;
		this.pinned = pinned;
		this.allGuests = allGuests;
		this.runningContainers = runningContainers;
		this.pinnedCpus = CpuSets.pinnedBy(pinned);
		for (int i = 0; i < pinned.size(); i++) {
			guestsByCpus.computeIfAbsent(Set.copyOf(pinned.get(i).pinnedCpus()), k -> new ArrayList<>()).add(i);
		}
	}

	@SuppressWarnings("unchecked")
	public static PinnedGuests of(HostFacts host, Collection<?> pinnedGuests, Collection<?> allGuests, int runningContainers) {
		return new PinnedGuests(host, List.copyOf((Collection<GuestFacts>) pinnedGuests), List.copyOf(allGuests),
				runningContainers);
	}

	public HostFacts host() {
		return host;
	}

	/** Every CPU of the host ({@link CpuSets#ofHost}), worked out once rather than per container. */
	public synchronized SortedSet<Integer> hostCpus() {
		if (hostCpus == null) {
			hostCpus = CpuSets.ofHost(host);
		}
		return hostCpus;
	}

	public List<GuestFacts> pinned() {
		return pinned;
	}

	/**
	 * A running container whose cpuset names a pinned guest's CPU, or that has no cpuset and no CPU
	 * limit. An empty cpuset is "none"; an unreadable one is unknown and never fires.
	 */
	public boolean concerns(ContainerFacts c) {
		if (c.name() == null || !"running".equals(c.state()) || c.cpusetCpus() == null) {
			return false;
		}
		SortedSet<Integer> cpus = cpusOf(c.cpusetCpus());
		if (cpus == null) {
			return false;
		}
		return CpuSets.overlaps(cpus, pinnedCpus) || (cpus.isEmpty() && c.cpuLimit() == null);
	}

	/**
	 * The pinned guests a container with these CPUs runs beside: those pinned to any of them, or
	 * every pinned guest when the container has no cpuset. Linear in the distinct pinnings, not in
	 * the guests, and the same answer for equal cpusets.
	 */
	public synchronized Collisions collidingWith(SortedSet<Integer> cpus) {
		return collisions.computeIfAbsent(Set.copyOf(cpus), key -> {
			int count = 0;
			List<Integer> first = new ArrayList<>();
			for (Map.Entry<Set<Integer>, List<Integer>> group : guestsByCpus.entrySet()) {
				if (key.isEmpty() || CpuSets.overlaps(key, group.getKey())) {
					count += group.getValue().size();
					first.addAll(group.getValue().subList(0, Math.min(NAMED, group.getValue().size())));
				}
			}
			Collections.sort(first);
			List<GuestFacts> named = first.stream().limit(NAMED).map(pinned::get).toList();
			return new Collisions(named, count, named.stream().map(g -> CpuSets.format(g.pinnedCpus())).toList());
		});
	}

	/** The even share of what the guests leave, for a container with this cpuset; the same for equal cpusets. */
	public synchronized ContainerLimits limitsFor(List<String> cpuset) {
		return limits.computeIfAbsent(cpuset,
				key -> Optional.ofNullable(ContainerLimits.share(host, allGuests, runningContainers, key))).orElse(null);
	}

	/** {@link CpuSets#parse} of a container's cpuset, once per distinct cpuset; null when unreadable. */
	public synchronized SortedSet<Integer> cpusOf(List<String> cpuset) {
		Optional<SortedSet<Integer>> cpus = cpusets.get(cpuset);
		if (cpus == null) {
			cpus = Optional.ofNullable(CpuSets.parse(cpuset));
			cpusets.put(cpuset == null ? null : new ArrayList<>(cpuset), cpus); // a copy: keys must not change
		}
		return cpus.orElse(null);
	}

	/**
	 * The fix for a container with this cpuset and these limits set or not; the same object for
	 * every such container. Null when the cpuset is unreadable or no share can be offered.
	 */
	public ContainerFix fixFor(ContainerFacts c) {
		return fixFor(c.cpusetCpus(), c.cpuLimit() != null, c.memoryLimitBytes() != null);
	}

	public synchronized ContainerFix fixFor(List<String> cpuset, boolean hasCpuLimit, boolean hasMemoryLimit) {
		if (cpuset == null) {
			return null;
		}
		FixKey key = new FixKey(cpuset, hasCpuLimit, hasMemoryLimit);
		Optional<ContainerFix> fix = fixes.get(key);
		if (fix == null) {
			fix = Optional.ofNullable(newFix(cpuset, hasCpuLimit, hasMemoryLimit));
			fixes.put(new FixKey(new ArrayList<>(cpuset), hasCpuLimit, hasMemoryLimit), fix);
		}
		return fix.orElse(null);
	}

	private ContainerFix newFix(List<String> cpuset, boolean hasCpuLimit, boolean hasMemoryLimit) {
		SortedSet<Integer> mine = cpusOf(cpuset);
		ContainerLimits shared = limitsFor(cpuset);
		if (mine == null || shared == null) {
			return null;
		}
		Double cpus = hasCpuLimit ? null : Double.valueOf(shared.cpus());
		Long memory = hasMemoryLimit ? null : shared.memoryBytes();
		String newCpuset = shared.cpuset();
		return new ContainerFix(mine, shared, collidingWith(mine), cpus, memory,
				DockerRunEdits.updateOptions(newCpuset, cpus, memory), ContainerLimits.runOptions(newCpuset, cpus, memory),
				shared.basis(), mine.isEmpty() ? CpuSets.format(hostCpus()) : String.join(",", cpuset));
	}
}
