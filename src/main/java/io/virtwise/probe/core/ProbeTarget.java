package io.virtwise.probe.core;

import java.util.List;

/**
 * The container a probe measures for, as {@code docker inspect} shows it. The probe only reads
 * it: sidecars join its network namespace and mount its volumes, it is never entered or changed.
 *
 * @param networkMode host, none, bridge, a network name, or container:OTHER
 * @param network the network a replica server joins to measure its published ports, with its IP and gateway
 * @param loopbackPublished a port is published where 127.0.0.1 reaches it (0.0.0.0, ::, 127.0.0.1)
 * @param addressPublished a port is published where a non-loopback host address reaches it
 * @param writableBinds destinations of its read-write bind mounts
 * @param writableVolumes destinations of its read-write volumes
 */
public record ProbeTarget(String name, String id, boolean running, String networkMode, String network, String ip,
		String gateway, boolean loopbackPublished, boolean addressPublished, List<String> writableBinds,
		List<String> writableVolumes) {

	public ProbeTarget {
		writableBinds = List.copyOf(writableBinds);
		writableVolumes = List.copyOf(writableVolumes);
	}
}
