package io.virtwise.facts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One libvirt domain: only what rules read. */
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
		List<Integer> numaNodes) {

	public GuestFacts {
		pinnedCpus = pinnedCpus == null ? null : List.copyOf(pinnedCpus);
		numaNodes = numaNodes == null ? null : List.copyOf(numaNodes);
	}
}
