package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The netfilter connection-tracking table, which every NATed connection (Docker's published ports,
 * MASQUERADE) takes an entry in. Counters are per-CPU sums since boot; any field may be {@code null}.
 *
 * @param count entries in use now (nf_conntrack_count)
 * @param max the table's limit (nf_conntrack_max): when it is full, new connections are dropped
 * @param buckets hash table size (nf_conntrack_buckets)
 * @param drops packets dropped because no entry could be made (/proc/net/stat/nf_conntrack {@code drop})
 * @param earlyDrops entries evicted to make room in a full table ({@code early_drop})
 * @param insertFailed entries that lost an insertion race ({@code insert_failed}); not a sign of a full table
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConntrackFacts(Long count, Long max, Long buckets, Long drops, Long earlyDrops, Long insertFailed) {

	/** Entries in use as a share of the limit, or {@code null} when either is unknown. */
	public Double usedShare() {
		return count == null || max == null || max <= 0 ? null : count / (double) max;
	}

	/** Packets dropped or entries evicted for want of room, or {@code null} when neither counter is known. */
	public Long pressureDrops() {
		return drops == null && earlyDrops == null ? null : (drops == null ? 0 : drops) + (earlyDrops == null ? 0 : earlyDrops);
	}
}
