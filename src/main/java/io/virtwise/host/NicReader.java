package io.virtwise.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.virtwise.facts.NicInfo;

/** Network interfaces from /sys/class/net/NAME/{device/driver,speed,mtu,operstate}. */
final class NicReader {

	private final HostRoots roots;

	NicReader(HostRoots roots) {
		this.roots = roots;
	}

	/** Interfaces other than loopback, by name; {@code null} when /sys/class/net cannot be listed. */
	List<NicInfo> read() {
		Path net = roots.sys().resolve("class/net");
		List<String> names = SysfsText.childNames(net);
		if (names == null) {
			return null;
		}
		List<NicInfo> nics = new ArrayList<>();
		for (String name : names) {
			if (name.equals("lo")) {
				continue;
			}
			Path dir = net.resolve(name);
			// The kernel reports -1 (or EINVAL) when the link has no known speed.
			Integer speed = SysfsText.readInt(dir.resolve("speed"));
			speed = speed == null || speed < 0 ? null : speed;
			String operState = SysfsText.read(dir.resolve("operstate"));
			nics.add(new NicInfo(name, driver(dir), speed, SysfsText.readInt(dir.resolve("mtu")),
					operState == null || operState.isEmpty() ? null : operState));
		}
		return List.copyOf(nics);
	}

	/** Virtual interfaces (bridges, veth, ifb) have no device and so no driver. */
	private static String driver(Path dir) {
		Path link = dir.resolve("device/driver");
		if (!Files.isSymbolicLink(link)) {
			return null;
		}
		try {
			Path target = Files.readSymbolicLink(link).getFileName();
			return target == null ? null : target.toString();
		}
		catch (IOException | RuntimeException e) {
			return null;
		}
	}
}
