package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One network interface of a guest: {@code model} e1000, rtl8139, virtio...; {@code driver} the
 * virtio back end, vhost or qemu ({@code null} = not set, libvirt then uses vhost when it can).
 *
 * @param queues the driver's queue count (multiqueue), {@code null} when not set (one queue)
 * @param backend a user-mode interface's back end: passt, or {@code null} for QEMU's built-in slirp
 * @param mac the interface's MAC address, which tells one interface from another
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestNic(String type, String model, String driver, String source, Integer queues, String backend, String mac) {

	public GuestNic(String type, String model, String driver, String source) {
		this(type, model, driver, source, null, null, null);
	}
}
