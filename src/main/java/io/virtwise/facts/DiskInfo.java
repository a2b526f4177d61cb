package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One block device. {@code maxSegments} and {@code maxSectorsKb} are the largest request the
 * device's queue takes: a read of scattered buffer pages needs a segment per page, so on a queue
 * of 254 segments a 1 MiB direct read (256 pages) can go as two requests.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiskInfo(String name, Boolean rotational, String scheduler, Long sizeBytes, Integer maxSegments,
		Integer maxSectorsKb) {

	/** The largest request the queue takes, as far as known ("254 segments and 4096 KiB"); null when neither is. */
	public String requestLimits() {
		if (maxSegments == null && maxSectorsKb == null) {
			return null;
		}
		return maxSegments == null ? maxSectorsKb + " KiB"
				: maxSectorsKb == null ? maxSegments + " segments" : maxSegments + " segments and " + maxSectorsKb + " KiB";
	}

	/** Facts saved before the queue limits were read. */
	public DiskInfo(String name, Boolean rotational, String scheduler, Long sizeBytes) {
		this(name, rotational, scheduler, sizeBytes, null, null);
	}
}
