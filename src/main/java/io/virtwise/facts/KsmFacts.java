package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Kernel samepage merging, from /sys/kernel/mm/ksm. Any field may be {@code null}.
 *
 * @param run 0 stopped (merged pages stay merged), 1 ksmd scanning and merging, 2 stopped and unmerged
 * @param pagesShared distinct merged pages in use
 * @param pagesSharing further mappings of those pages: how many pages merging saves
 * @param fullScans how many times ksmd has scanned all mergeable memory
 * @param mergeAcrossNodes 1 when pages of different NUMA nodes are merged together
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KsmFacts(Integer run, Long pagesShared, Long pagesSharing, Long fullScans, Integer mergeAcrossNodes) {
}
