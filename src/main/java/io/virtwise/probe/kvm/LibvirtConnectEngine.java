package io.virtwise.probe.kvm;

import io.virtwise.kvm.inspect.LibvirtConnector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/** {@link LibvirtEngine} on a libvirt-java read-write connection. */
public final class LibvirtConnectEngine implements LibvirtEngine {

	private final Connect conn;

	private LibvirtConnectEngine(Connect conn) {
		this.conn = conn;
	}

	/** A read-write connection to {@code uri} (null: the default); throws when libvirtd is not reachable. */
	public static LibvirtEngine connect(String uri) {
		return new LibvirtConnectEngine(LibvirtConnector.connectReadWrite(uri));
	}

	private static Failure failure(LibvirtException e) {
		return new Failure(LibvirtConnector.oneLine(e.getMessage()), e);
	}

	@Override
	public Optional<String> domainXml(String name) {
		Domain domain;
		try {
			domain = conn.domainLookupByName(name);
		}
		catch (LibvirtException e) {
			return Optional.empty();
		}
		try {
			return Optional.of(domain.getXMLDesc(0));
		}
		catch (LibvirtException e) {
			throw failure(e);
		}
	}

	@Override
	public void defineAndStart(String xml) {
		try {
			conn.domainDefineXML(xml).create();
		}
		catch (LibvirtException e) {
			throw failure(e);
		}
	}

	@Override
	public boolean isActive(String name) {
		try {
			return conn.domainLookupByName(name).isActive() == 1;
		}
		catch (LibvirtException e) {
			return false;
		}
	}

	@Override
	public void destroyAndUndefine(String name) {
		Domain d;
		try {
			d = conn.domainLookupByName(name);
		}
		catch (LibvirtException e) {
			return; // never defined, or already gone
		}
		try {
			if (d.isActive() == 1) {
				d.destroy();
			}
		}
		catch (LibvirtException e) {
			// already stopped
		}
		try {
			d.undefine();
		}
		catch (LibvirtException e) {
			// transient or already gone
		}
	}

	@Override
	public List<String> domainNames() {
		try {
			List<String> names = new ArrayList<>();
			for (Domain d : conn.listAllDomains(0)) {
				names.add(d.getName());
			}
			return names;
		}
		catch (LibvirtException e) {
			throw failure(e);
		}
	}

	@Override
	public void close() {
		try {
			conn.close();
		}
		catch (LibvirtException e) {
			// nothing left to do
		}
	}
}
