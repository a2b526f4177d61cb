package io.virtwise.probe.kvm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-memory libvirt: domains by name with their XML and whether they run, shared by every
 * connection made from it, and a log of what defines, starts and removes.
 */
final class FakeLibvirtEngine {

	final Map<String, String> domains = Collections.synchronizedMap(new LinkedHashMap<>());
	final Map<String, Boolean> running = Collections.synchronizedMap(new LinkedHashMap<>());
	final List<String> log = Collections.synchronizedList(new ArrayList<>());
	boolean refuseStart;
	int open;

	private static final Pattern NAME = Pattern.compile("<name>([^<]+)</name>");

	void define(String name, String xml, boolean runs) {
		domains.put(name, xml);
		running.put(name, runs);
	}

	/** A new connection, as LibvirtConnectEngine::connect makes one per URI. */
	LibvirtEngine connect(String uri) {
		open++;
		return new LibvirtEngine() {
			@Override
			public Optional<String> domainXml(String name) {
				return Optional.ofNullable(domains.get(name));
			}

			@Override
			public void defineAndStart(String xml) {
				Matcher m = NAME.matcher(xml);
				if (!m.find()) {
					throw new Failure("XML error: missing name", null);
				}
				define(m.group(1), xml, false);
				log.add("define " + m.group(1));
				if (refuseStart) {
					throw new Failure("internal error: qemu unexpectedly closed the monitor", null);
				}
				running.put(m.group(1), true);
			}

			@Override
			public boolean isActive(String name) {
				return Boolean.TRUE.equals(running.get(name));
			}

			@Override
			public void destroyAndUndefine(String name) {
				if (domains.remove(name) != null) {
					running.remove(name);
					log.add("remove " + name);
				}
			}

			@Override
			public List<String> domainNames() {
				synchronized (domains) {
					return List.copyOf(domains.keySet());
				}
			}

			@Override
			public void close() {
				open--;
			}
		};
	}
}
