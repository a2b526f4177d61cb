package io.virtwise.facts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * CPU topology. {@code siblings} lists, per physical core, the logical CPUs that share it
 * (hyper-thread siblings), so a pinning plan can keep them together.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CpuFacts(
		String model,
		String vendor,
		Integer sockets,
		Integer cores,
		Integer threads,
		Integer threadsPerCore,
		List<List<Integer>> siblings,
		List<String> virtFlags) {

	public CpuFacts {
		siblings = siblings == null ? null : siblings.stream().map(List::copyOf).toList();
		virtFlags = virtFlags == null ? null : List.copyOf(virtFlags);
	}
}
