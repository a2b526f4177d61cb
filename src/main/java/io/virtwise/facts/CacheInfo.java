package io.virtwise.facts;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One cache level and type, with the groups of CPUs that share one instance of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CacheInfo(int level, String type, Long sizeKb, List<List<Integer>> sharedBy) {

	public CacheInfo {
		sharedBy = sharedBy == null ? null : sharedBy.stream().map(List::copyOf).toList();
	}
}
