package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One network interface of a guest: {@code model} e1000, rtl8139, virtio...; {@code driver} the
 * virtio back end, vhost or qemu ({@code null} = not set, libvirt then uses vhost when it can).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestNic(String type, String model, String driver, String source) {
}
