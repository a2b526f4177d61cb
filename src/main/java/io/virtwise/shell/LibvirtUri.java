package io.virtwise.shell;

/**
 * Which libvirt every KVM command talks to: the command's own {@code --libvirt URI} when given,
 * else the launch option {@code --libvirt URI}, else (null here) LIBVIRT_DEFAULT_URI, else
 * qemu:///system, as {@link io.virtwise.kvm.inspect.LibvirtConnector#resolveUri} decides.
 */
public record LibvirtUri(String launchUri) {

	/** The per-command option's description, the same on every KVM command. */
	public static final String OPTION_HELP = "libvirt URI for this command (default: the launch option --libvirt URI, "
			+ "else LIBVIRT_DEFAULT_URI, else qemu:///system)";

	public LibvirtUri {
		launchUri = launchUri == null || launchUri.isBlank() ? null : launchUri;
	}

	/** The URI to use, or null for LIBVIRT_DEFAULT_URI / qemu:///system. */
	public String choose(String perCommand) {
		return perCommand != null && !perCommand.isBlank() ? perCommand : launchUri;
	}
}
