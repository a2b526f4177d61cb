package io.virtwise.kvm.inspect;

/** libvirt cannot be reached: the client library is missing or the daemon does not answer. */
public class LibvirtUnavailableException extends RuntimeException {

	public LibvirtUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}
}
