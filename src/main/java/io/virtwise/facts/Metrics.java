package io.virtwise.facts;

import java.util.Set;

/** The {@link ProbeResult#metric()} names, shared by the probes that measure them and the rules that read them. */
public final class Metrics {

	// docker-network
	public static final String TCP_RR_LATENCY = "tcp-rr-latency";
	public static final String TCP_THROUGHPUT = "tcp-throughput";

	// docker-storage (RANDREAD_IOPS and RANDWRITE_IOPS are kvm-io's too)
	public static final String RANDREAD_IOPS = "randread-iops";
	public static final String RANDWRITE_IOPS = "randwrite-iops";
	public static final String SEQREAD_MBPS = "seqread-mbps";
	public static final String SEQWRITE_MBPS = "seqwrite-mbps";
	public static final String SMALL_FILE_OPS = "small-file-ops";
	public static final String COPY_UP_MS = "copy-up-ms";

	// kvm-cpu
	public static final String CPU_EVENTS_PER_S = "cpu-events-per-s";
	public static final String MEM_SEQ_WRITE_MIBPS = "mem-seq-write-mibps";
	public static final String MEM_RND_READ_MIBPS = "mem-rnd-read-mibps";

	// kvm-io and kvm-passive
	public static final String CPU_US_PER_IO = "cpu-us-per-io";

	// kvm-passive
	public static final String IO_OPS_PER_S = "io-ops-per-s";
	public static final String VCPU_MS_PER_S = "vcpu-ms-per-s";
	public static final String HALTPOLL_MS_PER_S = "haltpoll-ms-per-s";
	public static final String HALTPOLL_PCT_OF_VCPU = "haltpoll-pct-of-vcpu";
	public static final String EXITS_PER_S = "exits-per-s";

	public static final Set<String> ALL = Set.of(TCP_RR_LATENCY, TCP_THROUGHPUT, RANDREAD_IOPS, RANDWRITE_IOPS, SEQREAD_MBPS,
			SEQWRITE_MBPS, SMALL_FILE_OPS, COPY_UP_MS, CPU_EVENTS_PER_S, MEM_SEQ_WRITE_MIBPS, MEM_RND_READ_MIBPS, CPU_US_PER_IO,
			IO_OPS_PER_S, VCPU_MS_PER_S, HALTPOLL_MS_PER_S, HALTPOLL_PCT_OF_VCPU, EXITS_PER_S);

	private Metrics() {
	}
}
