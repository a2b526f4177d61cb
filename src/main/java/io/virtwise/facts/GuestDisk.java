package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One disk of a guest as its domain XML declares it. {@code bus} is virtio, scsi, sata, ide...;
 * {@code format} the driver type (raw, qcow2); {@code cache} and {@code io} the driver's modes
 * ({@code null} = not set, i.e. QEMU's default); {@code iothread} the iothread it is bound to.
 *
 * @param sourceType the disk element's type: file, block, network or volume
 * @param protocol a network disk's protocol (rbd, iscsi, nbd, gluster...)
 * @param controller the index of the controller a drive-addressed disk sits on
 * @param sourceFilesystem the host filesystem holding a file-backed image (tmpfs, ext4...), where it could be read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestDisk(String target, String device, String bus, String format, String cache, String io,
		Integer iothread, String source, String sourceType, String protocol, Integer controller, String sourceFilesystem) {

	public GuestDisk(String target, String device, String bus, String format, String cache, String io, Integer iothread,
			String source) {
		this(target, device, bus, format, cache, io, iothread, source, null, null, null, null);
	}

	/** The same disk, its image known to sit on this host filesystem. */
	public GuestDisk withSourceFilesystem(String filesystem) {
		return new GuestDisk(target, device, bus, format, cache, io, iothread, source, sourceType, protocol, controller,
				filesystem);
	}
}
