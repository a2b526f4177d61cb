package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One disk of a guest as its domain XML declares it. {@code bus} is virtio, scsi, sata, ide...;
 * {@code format} the driver type (raw, qcow2); {@code cache} and {@code io} the driver's modes
 * ({@code null} = not set, i.e. QEMU's default); {@code iothread} the iothread it is bound to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestDisk(String target, String device, String bus, String format, String cache, String io,
		Integer iothread, String source) {
}
