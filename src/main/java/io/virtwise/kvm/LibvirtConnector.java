package io.virtwise.kvm;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * Opens a read-only libvirt connection. The JNA binding needs libvirt.so.0 at run time, so the
 * first touch of it can throw an Error, not a LibvirtException: that boundary catches Throwable.
 */
public final class LibvirtConnector {

	public static final String DEFAULT_URI = "qemu:///system";

	private static volatile boolean callbackInstalled;

	private LibvirtConnector() {
	}

	public static String resolveUri(String explicit) {
		if (explicit != null && !explicit.isBlank()) {
			return explicit;
		}
		String env = System.getenv("LIBVIRT_DEFAULT_URI");
		return env != null && !env.isBlank() ? env : DEFAULT_URI;
	}

	public static Connect connect(String explicitUri) {
		return open(explicitUri, true);
	}

	/** A read-write connection: for the probe guest ({@code probe kvm}) and for {@code fix apply} / {@code fix rollback}. */
	public static Connect connectReadWrite(String explicitUri) {
		return open(explicitUri, false);
	}

	private static Connect open(String explicitUri, boolean readOnly) {
		String uri = resolveUri(explicitUri);
		try {
			installErrorCallback();
			return new Connect(uri, readOnly);
		}
		catch (LibvirtException e) {
			throw new LibvirtUnavailableException("libvirtd is not reachable at " + uri + ": " + oneLine(e.getMessage())
					+ " (is libvirtd running? try: virsh -c " + uri + " version)", e);
		}
		catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
			throw new LibvirtUnavailableException(
					"the libvirt client library (libvirt0) is not installed: apt-get install libvirt0", e);
		}
		catch (Throwable e) {
			throw new LibvirtUnavailableException("cannot load the libvirt client library: " + oneLine(e.getMessage()), e);
		}
	}

	// Without a callback the C library prints every error to stderr on its own.
	private static void installErrorCallback() throws LibvirtException {
		if (!callbackInstalled) {
			Connect.setErrorCallback((userData, error) -> {
			});
			callbackInstalled = true;
		}
	}

	public static String oneLine(String s) {
		return s == null ? "" : s.strip().replaceAll("\\s+", " ");
	}
}
