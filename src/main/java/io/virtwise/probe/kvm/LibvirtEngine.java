package io.virtwise.probe.kvm;

import java.util.List;
import java.util.Optional;

/**
 * The few libvirt calls a probe guest run makes, on one connection, so the run's boot and cleanup
 * logic is tested with a fake as well as against the lab's libvirtd ({@link LibvirtConnectEngine}).
 * Calls fail with {@link Failure}, whose message is libvirt's, on one line.
 */
public interface LibvirtEngine extends AutoCloseable {

	final class Failure extends RuntimeException {
		public Failure(String message, Throwable cause) {
			super(message, cause);
		}
	}

	/** The domain's XML, or empty when there is no domain of that name. */
	Optional<String> domainXml(String name);

	/** Defines the domain and starts it. */
	void defineAndStart(String xml);

	/** Whether the domain runs; false when it is gone. */
	boolean isActive(String name);

	/** Stops the domain if it runs and undefines it; nothing when it is gone. */
	void destroyAndUndefine(String name);

	/** The names of all domains, running or not. */
	List<String> domainNames();

	/** Closes the connection; never fails. */
	@Override
	void close();
}
