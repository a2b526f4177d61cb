package io.virtwise.facts;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One libvirt domain: only what rules read. {@code accel} is the domain type, kvm or qemu (TCG).
 * Collections are {@code null} when unknown and empty when known to be empty (e.g. no vcpupin),
 * so rules can tell "not pinned" from "not inspected".
 *
 * @param cpuMode host-passthrough, host-model or custom; "none" when the XML has no cpu element
 * @param cacheMode the cpu's cache mode: passthrough, emulate or disable
 * @param vcpuPins vCPU number to the host CPU list it is pinned to, as written in cputune
 * @param emulatorPin the emulatorpin cpuset, "" when there is none
 * @param iothreadPins IOThread number to the host CPU list it is pinned to (cputune's iothreadpin)
 * @param hugepageSizeKb page size asked for in memoryBacking, when hugepages are asked for
 * @param domainXml the domain XML as read, with passwords and secrets redacted, for fixes to edit
 * @param numaCells the guest's own NUMA cells ({@code <cpu><numa>}), empty when it has none
 * @param controllers its disk controllers (SCSI, SATA, IDE), with their models and iothreads
 * @param details what the plans and fixes read beyond that (architecture, memnodes, numad, memory source)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestFacts(
		String name,
		String uuid,
		String state,
		String accel,
		Integer vcpus,
		Long memoryKb,
		Boolean hugepageBacked,
		List<Integer> pinnedCpus,
		List<Integer> numaNodes,
		String cpuMode,
		String cpuModel,
		Integer sockets,
		Integer dies,
		Integer cores,
		Integer threads,
		String cacheMode,
		Map<Integer, String> vcpuPins,
		String emulatorPin,
		Map<Integer, String> iothreadPins,
		Integer iothreads,
		String numatuneMode,
		String numatuneNodeset,
		Long hugepageSizeKb,
		List<GuestDisk> disks,
		List<GuestNic> nics,
		String balloonModel,
		String domainXml,
		List<GuestCell> numaCells,
		List<GuestController> controllers,
		GuestDetails details) {

	public GuestFacts {
		details = details == null ? GuestDetails.NONE : details;
		pinnedCpus = pinnedCpus == null ? null : List.copyOf(pinnedCpus);
		numaNodes = numaNodes == null ? null : List.copyOf(numaNodes);
		vcpuPins = vcpuPins == null ? null : java.util.Collections.unmodifiableMap(new TreeMap<>(vcpuPins));
		iothreadPins = iothreadPins == null ? null : java.util.Collections.unmodifiableMap(new TreeMap<>(iothreadPins));
		disks = disks == null ? null : List.copyOf(disks);
		nics = nics == null ? null : List.copyOf(nics);
		numaCells = numaCells == null ? null : List.copyOf(numaCells);
		controllers = controllers == null ? null : List.copyOf(controllers);
	}

	/** Everything but the guest's NUMA cells and controllers, which stay unknown. */
	public GuestFacts(String name, String uuid, String state, String accel, Integer vcpus, Long memoryKb,
			Boolean hugepageBacked, List<Integer> pinnedCpus, List<Integer> numaNodes, String cpuMode, String cpuModel,
			Integer sockets, Integer dies, Integer cores, Integer threads, String cacheMode, Map<Integer, String> vcpuPins,
			String emulatorPin, Map<Integer, String> iothreadPins, Integer iothreads, String numatuneMode,
			String numatuneNodeset, Long hugepageSizeKb, List<GuestDisk> disks, List<GuestNic> nics, String balloonModel,
			String domainXml) {
		this(name, uuid, state, accel, vcpus, memoryKb, hugepageBacked, pinnedCpus, numaNodes, cpuMode, cpuModel, sockets,
				dies, cores, threads, cacheMode, vcpuPins, emulatorPin, iothreadPins, iothreads, numatuneMode, numatuneNodeset,
				hugepageSizeKb, disks, nics, balloonModel, domainXml, null, null, null);
	}

	/** The fields the host rules read; the domain details unknown. */
	public GuestFacts(String name, String uuid, String state, String accel, Integer vcpus, Long memoryKb,
			Boolean hugepageBacked, List<Integer> pinnedCpus, List<Integer> numaNodes) {
		this(name, uuid, state, accel, vcpus, memoryKb, hugepageBacked, pinnedCpus, numaNodes, null, null, null, null,
				null, null, null, null, null, null, null, null, null, null, null, null, null, null);
	}

	/** The same guest in another state (the XML does not say whether it runs). */
	public GuestFacts withState(String newState) {
		return new GuestFacts(name, uuid, newState, accel, vcpus, memoryKb, hugepageBacked, pinnedCpus, numaNodes,
				cpuMode, cpuModel, sockets, dies, cores, threads, cacheMode, vcpuPins, emulatorPin, iothreadPins, iothreads,
				numatuneMode, numatuneNodeset, hugepageSizeKb, disks, nics, balloonModel, domainXml, numaCells, controllers, details);
	}

	/** The same guest with its disks replaced (the inspector adds what the host knows of their images). */
	public GuestFacts withDisks(List<GuestDisk> newDisks) {
		return new GuestFacts(name, uuid, state, accel, vcpus, memoryKb, hugepageBacked, pinnedCpus, numaNodes,
				cpuMode, cpuModel, sockets, dies, cores, threads, cacheMode, vcpuPins, emulatorPin, iothreadPins, iothreads,
				numatuneMode, numatuneNodeset, hugepageSizeKb, newDisks, nics, balloonModel, domainXml, numaCells, controllers, details);
	}

	/** Whether it runs or is merely defined: a running guest holds its memory and huge pages now. */
	public boolean running() {
		return "running".equals(state) || "paused".equals(state);
	}

	/** True when every vCPU has a vcpupin entry; {@code null} when unknown. */
	public Boolean fullyPinned() {
		if (vcpuPins == null || vcpus == null) {
			return null;
		}
		for (int v = 0; v < vcpus; v++) {
			if (!vcpuPins.containsKey(v)) {
				return false;
			}
		}
		return true;
	}
}
