package io.virtwise.probe.kvm;

import io.virtwise.facts.GuestDisk;
import io.virtwise.kvm.xml.DomainXmlParser;
import io.virtwise.probe.core.RunId;
import io.virtwise.probe.core.Scratch;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removes what killed probe guest runs left behind: {@code vwprobe-} domains of runs whose process
 * is gone (or older than any run lasts), with the run directories holding their disk image and
 * console log, and run directories under the runs directory. Other domains are never touched.
 */
final class ProbeGuestSweeper {

	private final LibvirtEngine libvirt;
	private final Path runsDir;

	ProbeGuestSweeper(LibvirtEngine libvirt, Path runsDir) {
		this.libvirt = libvirt;
		this.runsDir = runsDir;
	}

	/** @return what was removed: domain names and directories */
	List<String> sweep(RunId self) {
		List<String> swept = new ArrayList<>();
		try {
			for (String name : libvirt.domainNames()) {
				if (!name.startsWith(ProbeGuest.PREFIX)
						|| !self.isLeftoverByName(name.substring(ProbeGuest.PREFIX.length()), null, Instant.now())) {
					continue;
				}
				List<Path> dirs = runDirectories(name, libvirt.domainXml(name));
				libvirt.destroyAndUndefine(name);
				dirs.forEach(ProbeGuest::deleteTreeQuietly);
				swept.add(name);
			}
		}
		catch (LibvirtEngine.Failure e) {
			// a domain that vanished meanwhile: nothing to sweep
		}
		for (Path p : Scratch.leftoverDirs(self, runsDir, ProbeGuest.RUN_DIR_NAME)) {
			ProbeGuest.deleteTreeQuietly(p);
			swept.add(p.toString());
		}
		return swept;
	}

	/** The directories of the domain's disks that are named like the domain: its run directory, wherever it was. */
	private static List<Path> runDirectories(String name, Optional<String> xml) {
		List<Path> dirs = new ArrayList<>();
		for (GuestDisk disk : xml.map(DomainXmlParser::parse).map(g -> g.disks()).orElse(List.of())) {
			if (disk.source() != null && disk.source().startsWith("/")) {
				Path parent = Path.of(disk.source()).getParent();
				if (parent != null && parent.getFileName().toString().equals(name)) {
					dirs.add(parent);
				}
			}
		}
		return dirs;
	}
}
