package io.virtwise.kvm.inspect;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.libvirt.Connect;
import org.libvirt.Error;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;

/**
 * Opens a read-only libvirt connection. The JNA binding needs libvirt.so.0 at run time, so the
 * first touch of it can throw an Error, not a LibvirtException: that boundary catches Throwable.
 */
public final class LibvirtConnector {

	public static final String DEFAULT_URI = "qemu:///system";

	/** libvirt's keepalive: a probe every 5 s, the connection closed after 3 unanswered ones. */
	static final int KEEPALIVE_INTERVAL_S = 5;
	static final int KEEPALIVE_COUNT = 3;

	private static volatile boolean callbackInstalled;

	/*
	 * JNA frees a callback's native stub once its Java object is collected, and libvirt-java keeps
	 * no reference to the error callback, nor to a close listener once its Connect is dropped:
	 * libvirt calling either afterwards (libvirtd going away makes it call both, on the event loop
	 * thread) crashed the JVM. Both are held here for the life of the process.
	 */
	private static final Libvirt.VirErrorCallback SILENT_ERRORS = (userData, error) -> {
	};
	// by identity: Connect.equals and hashCode ask libvirt for the URI, which fails once it is closed
	private static final java.util.Queue<Connect> WITH_CLOSE_LISTENER = new java.util.concurrent.ConcurrentLinkedQueue<>();
	private static volatile boolean eventLoopRunning;
	private static final Map<String, Connect> SHARED = new ConcurrentHashMap<>();

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

	/**
	 * The shell's read-only connection to this URI, opened once and kept alive across commands by
	 * libvirt's keepalive on a background event loop. A connection libvirt closed (libvirtd restarted,
	 * keepalive timed out) is replaced on the next call; callers must not close it, and pass any
	 * LibvirtException to {@link #dropShared} so the next command starts afresh.
	 */
	public static Connect shared(String explicitUri) {
		String uri = resolveUri(explicitUri);
		Connect conn = SHARED.get(uri);
		if (conn != null && alive(conn)) {
			return conn;
		}
		if (conn != null) {
			dropShared(explicitUri);
		}
		startEventLoop();
		Connect fresh = open(explicitUri, true);
		try {
			fresh.setKeepAlive(KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT);
			// by identity, as above; an exception must not escape into libvirt's event loop
			fresh.registerCloseListener((c, reason) -> SHARED.computeIfPresent(uri, (k, held) -> held == fresh ? null : held));
			WITH_CLOSE_LISTENER.add(fresh);
		}
		catch (LibvirtException e) {
			// a URI without keepalive (test:///, local drivers): still usable, checked on each call
		}
		SHARED.put(uri, fresh);
		return fresh;
	}

	/** Forgets (and closes) the shared connection to this URI after a failure on it. */
	public static void dropShared(String explicitUri) {
		Connect conn = SHARED.remove(resolveUri(explicitUri));
		if (conn != null) {
			try {
				// stays registered while the connection lives; unregistered, libvirt no longer calls it
				conn.unregisterCloseListener();
				WITH_CLOSE_LISTENER.removeIf(held -> held == conn);
			}
			catch (LibvirtException | RuntimeException e) {
				// a dead connection: the listener stays held in WITH_CLOSE_LISTENER
			}
			try {
				conn.close();
			}
			catch (LibvirtException | RuntimeException e) {
				// already broken: nothing to release on the daemon's side
			}
		}
	}

	/** Whether libvirt still holds the connection open (false once libvirtd went away under it). */
	public static boolean alive(Connect conn) {
		try {
			return conn.isAlive();
		}
		catch (LibvirtException | RuntimeException e) {
			return false;
		}
	}

	// keepalive and close events need libvirt's default event loop, run on one daemon thread
	private static synchronized void startEventLoop() {
		if (eventLoopRunning) {
			return;
		}
		try {
			Library.initEventLoop();
		}
		catch (LibvirtException | LinkageError e) {
			return; // no event loop: connections still work, without keepalive
		}
		Thread loop = new Thread(() -> {
			try {
				Library.runEventLoop();
			}
			catch (LibvirtException e) {
				eventLoopRunning = false;
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "virtwise-libvirt-events");
		loop.setDaemon(true);
		loop.start();
		eventLoopRunning = true;
	}

	private static Connect open(String explicitUri, boolean readOnly) {
		String uri = resolveUri(explicitUri);
		try {
			installErrorCallback();
			return new Connect(uri, readOnly);
		}
		catch (LibvirtException e) {
			if (malformed(uri, e)) {
				throw new LibvirtUnavailableException("malformed libvirt URI '" + uri + "': " + oneLine(e.getMessage())
						+ " (a libvirt URI is DRIVER[+TRANSPORT]://[HOST]/[PATH], e.g. qemu:///system or qemu+ssh://host/system)", e);
			}
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

	/**
	 * libvirt could not parse the URI (its URI module reports it, as an internal error), or it has
	 * no scheme, so names no driver: no daemon is involved, and asking whether one runs misleads.
	 */
	static boolean malformed(String uri, LibvirtException e) {
		Error error = e.getError();
		if (error == null) {
			return false;
		}
		return error.getDomain() == Error.ErrorDomain.VIR_FROM_URI
				|| error.getCode() == Error.ErrorNumber.VIR_ERR_NO_CONNECT && !uri.matches("[A-Za-z][A-Za-z0-9+.-]*:.*");
	}

	// Without a callback the C library prints every error to stderr on its own.
	private static void installErrorCallback() throws LibvirtException {
		if (!callbackInstalled) {
			Connect.setErrorCallback(SILENT_ERRORS);
			callbackInstalled = true;
		}
	}

	public static String oneLine(String s) {
		return s == null ? "" : s.strip().replaceAll("\\s+", " ");
	}
}
