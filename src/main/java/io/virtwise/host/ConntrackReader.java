package io.virtwise.host;

import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.ConntrackFacts;

/**
 * The connection-tracking table from /proc/sys/net/netfilter/nf_conntrack_{count,max,buckets} and its
 * per-CPU statistics in /proc/net/stat/nf_conntrack (hexadecimal, one row per CPU, columns named by the
 * header line, which differs between kernels).
 */
public final class ConntrackReader {

	private final HostRoots roots;

	public ConntrackReader(HostRoots roots) {
		this.roots = roots;
	}

	/** {@code null} when nf_conntrack is not loaded (none of its files can be read). */
	public ConntrackFacts read() {
		Path sysctl = roots.proc().resolve("sys/net/netfilter");
		Long count = SysfsText.readLong(sysctl.resolve("nf_conntrack_count"));
		Long max = SysfsText.readLong(sysctl.resolve("nf_conntrack_max"));
		Long buckets = SysfsText.readLong(sysctl.resolve("nf_conntrack_buckets"));
		List<String> stat = SysfsText.readLines(roots.proc().resolve("net/stat/nf_conntrack"));
		Long drops = column(stat, "drop");
		Long earlyDrops = column(stat, "early_drop");
		Long insertFailed = column(stat, "insert_failed");
		if (count == null && max == null && buckets == null && drops == null && earlyDrops == null && insertFailed == null) {
			return null;
		}
		return new ConntrackFacts(count, max, buckets, drops, earlyDrops, insertFailed);
	}

	/** The column's sum over the per-CPU rows; {@code null} when the table or the column is missing or garbled. */
	static Long column(List<String> stat, String name) {
		if (stat == null || stat.isEmpty()) {
			return null;
		}
		List<String> header = List.of(stat.get(0).trim().split("\\s+"));
		int index = header.indexOf(name);
		if (index < 0 || stat.size() < 2) {
			return null;
		}
		long sum = 0;
		for (String row : stat.subList(1, stat.size())) {
			if (row.isBlank()) {
				continue;
			}
			String[] fields = row.trim().split("\\s+");
			if (fields.length != header.size()) {
				return null;
			}
			try {
				sum += Long.parseUnsignedLong(fields[index], 16);
			}
			catch (NumberFormatException e) {
				return null;
			}
		}
		return sum;
	}
}
