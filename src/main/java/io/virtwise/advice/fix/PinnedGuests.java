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

	/** The first {@link #NAMED} colliding guests in guest order, and how many collide in all. */
	public record Collisions(List<GuestFacts> named, int count) {
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
		SortedSet<Integer> cpus = CpuSets.parse(c.cpusetCpus());
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
			return new Collisions(first.stream().limit(NAMED).map(pinned::get).toList(), count);
		});
	}

	/** The even share of what the guests leave, for a container with this cpuset; the same for equal cpusets. */
	public synchronized ContainerLimits limitsFor(List<String> cpuset) {
		return limits.computeIfAbsent(cpuset,
				key -> Optional.ofNullable(ContainerLimits.share(host, allGuests, runningContainers, key))).orElse(null);
	}
}
