package io.virtwise.facts;

import java.util.Set;

/** The {@link ProbeResult#path()} names: the route or setup a figure was measured on. */
public final class ProbePaths {

	// docker-network: the native baseline, then the container paths
	public static final String LOOPBACK = "loopback";
	public static final String HOST_NET = "host-net";
	public static final String BRIDGE_IP = "bridge-ip";
	public static final String PUBLISHED_PROXY = "published-proxy";
	public static final String PUBLISHED_DNAT = "published-dnat";

	// docker-storage: the native baseline, then where a container writes
	public static final String HOST_DIR = "host-dir";
	public static final String WRITABLE_LAYER = "writable-layer";
	public static final String BIND_MOUNT = "bind-mount";
	public static final String VOLUME = "volume";

	// kvm-cpu: sysbench on the host, and in the probe guest configured each way
	public static final String HOST = "host";
	public static final String PLAIN = "plain";
	public static final String HUGEPAGES = "hugepages";
	public static final String PINNED = "pinned";
	public static final String PASSTHROUGH_TOPOLOGY = "passthrough-topology";

	// kvm-io: fio in the guest against the same fio on the host (HOST)
	public static final String GUEST = "guest";

	// kvm-passive
	public static final String LIBVIRT_COUNTERS = "libvirt-counters";

	public static final Set<String> ALL = Set.of(LOOPBACK, HOST_NET, BRIDGE_IP, PUBLISHED_PROXY, PUBLISHED_DNAT, HOST_DIR,
			WRITABLE_LAYER, BIND_MOUNT, VOLUME, HOST, PLAIN, HUGEPAGES, PINNED, PASSTHROUGH_TOPOLOGY, GUEST, LIBVIRT_COUNTERS);

	/** {@link ProbeResult#placement()} of a pinned network pair: client and server on one core, or on two. */
	public static final String SAME_CORE = "same-core";
	public static final String CROSS_CORE = "cross-core";

	public static final Set<String> PLACEMENTS = Set.of(SAME_CORE, CROSS_CORE);

	private ProbePaths() {
	}
}
