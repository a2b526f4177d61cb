package io.virtwise.facts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One container as the engine describes it. Only what rules read is kept; environment
 * values are never stored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerFacts(
		String id,
		String name,
		String image,
		String state,
		String networkMode,
		List<String> cpusetCpus,
		Double cpuLimit,
		Long memoryLimitBytes) {

	public ContainerFacts {
		cpusetCpus = cpusetCpus == null ? null : List.copyOf(cpusetCpus);
	}
}
