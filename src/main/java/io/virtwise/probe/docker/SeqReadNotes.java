package io.virtwise.probe.docker;

import static io.virtwise.probe.docker.StorageCommands.BUFFER_ALIGN;
import static io.virtwise.probe.docker.StorageCommands.HUGE_PAGE_HEAP;

import io.virtwise.facts.DiskInfo;
import io.virtwise.facts.ThpFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The notes that say how far the 1 MiB sequential figures can be trusted: huge page buffers and split reads. */
final class SeqReadNotes {

	private SeqReadNotes() {
	}

	/** Below this share of the largest request a disk takes (at most 1,024 KiB) a read counts as split. */
	static final double SPLIT_BELOW = 0.75;

	/**
	 * The note on the seqread figures: per path, the KiB per read request each repetition's 1 MiB
	 * reads had at the disk, the queue limits of the disks that took them, and, when some went
	 * split below what the disk takes, why and which paths' figures mix split and whole runs. Null
	 * when no large read was seen.
	 *
	 * @param limits a disk's queue limits (maxSegments, maxSectorsKb), either null when unknown
	 */
	static String readRequestNote(Map<String, List<Map<String, Double>>> byPath, Function<String, DiskInfo> limits) {
		Set<String> disks = new TreeSet<>();
		List<String> perPath = new ArrayList<>();
		List<String> mixed = new ArrayList<>();
		boolean anySplit = false;
		for (Map.Entry<String, List<Map<String, Double>>> e : byPath.entrySet()) {
			List<String> figures = new ArrayList<>();
			int split = 0;
			int whole = 0;
			for (Map<String, Double> rep : e.getValue()) {
				disks.addAll(rep.keySet());
				// on stacked devices (LVM on a disk) the most limited layer is where a read splits
				Double kib = rep.values().stream().min(Double::compare).orElse(null);
				figures.add(kib == null ? "-" : String.valueOf(Math.round(kib)));
				if (kib == null) {
					continue;
				}
				boolean splitHere = rep.entrySet().stream().anyMatch(d -> d.getValue() < SPLIT_BELOW * wholeKib(limits.apply(d.getKey())));
				split += splitHere ? 1 : 0;
				whole += splitHere ? 0 : 1;
			}
			anySplit |= split > 0;
			if (split > 0 && whole > 0) {
				mixed.add(e.getKey());
			}
			perPath.add(e.getKey() + " " + String.join(", ", figures));
		}
		if (disks.isEmpty()) {
			return null;
		}
		List<String> described = disks.stream().map(d -> d + queueLimits(limits.apply(d))).toList();
		StringBuilder note = new StringBuilder("seqread: the 1 MiB reads reached the disk as requests of (KiB, per repetition) ")
			.append(String.join("; ", perPath)).append(" (").append(String.join(", ", described)).append(')');
		if (anySplit) {
			note.append("; a 1 MiB direct read whose buffer did not get its huge page and whose 256 pages lie apart needs "
					+ "more segments than that and goes as two requests, which read 15-50% slower on the lab");
			if (!mixed.isEmpty()) {
				note.append(", so the seqread figures of ").append(String.join(", ", mixed)).append(" mix split and whole runs");
			}
		}
		return note.toString();
	}

	/** The largest request a 1 MiB read can reach this disk as: 1,024 KiB, or less where the queue takes less. */
	private static double wholeKib(DiskInfo disk) {
		return disk == null || disk.maxSectorsKb() == null ? 1024 : Math.min(1024, disk.maxSectorsKb());
	}

	private static String queueLimits(DiskInfo disk) {
		return disk == null || disk.requestLimits() == null ? "" : " takes up to " + disk.requestLimits() + " per request";
	}

	/**
	 * How fio's 1 MiB buffer was laid out: in a transparent huge page unless the host has them
	 * off, when 1 MiB reads may split and scatter more.
	 *
	 * @param thp this machine's THP modes, null when the engine is elsewhere or the kernel has none
	 */
	static String hugePageBufferNote(ThpFacts thp) {
		String how = "1 MiB I/O from a buffer asked to lie in one transparent huge page (" + HUGE_PAGE_HEAP
				+ " and " + BUFFER_ALIGN + "), so that each read or write can reach the disk as one segment";
		if (thp == null) {
			return how + " where the engine's host has transparent huge pages (always or madvise)";
		}
		if ("never".equals(thp.enabled())) {
			return "transparent huge pages are off on this host (enabled: never): fio's 1 MiB buffer is in 4 KiB pages, "
					+ "so 1 MiB reads may reach the disk split and the sequential figures scatter more";
		}
		String here = how + " (transparent huge pages here: " + thp.enabled() + ", defrag " + thp.defrag() + ")";
		// without defrag for madvised memory the fault takes a huge page only when one is free
		return "never".equals(thp.defrag()) ? here + "; with defrag never a huge page comes only when one is free, "
				+ "so the seqread request sizes say whether the reads went whole" : here;
	}
}
