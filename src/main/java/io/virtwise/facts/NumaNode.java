package io.virtwise.facts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record NumaNode(int id, List<Integer> cpus, Long memTotalKb, Long memFreeKb) {

	public NumaNode {
		cpus = cpus == null ? null : List.copyOf(cpus);
	}
}
