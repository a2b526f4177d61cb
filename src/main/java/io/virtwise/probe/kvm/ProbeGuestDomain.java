package io.virtwise.probe.kvm;

import io.virtwise.facts.GuestDisk;
import io.virtwise.host.HostRoots;
import io.virtwise.kvm.xml.DomainXml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The probe domain's XML: direct kernel boot, the serial console to a file, and the settings
 * copied from the target domain (read only) that decide what the probe measures.
 */
public final class ProbeGuestDomain {

	private final HostRoots roots;

	/** {@code roots}: where the free huge pages are read, to tell whether the target's memory backing can be copied. */
	public ProbeGuestDomain(HostRoots roots) {
		this.roots = roots;
	}

	/** The probe domain: direct kernel boot, serial console to a file, a virtio disk when {@code disk} is given. */
	Document xml(String name, String accel, ProbeGuestImage.Build image, String cmdline, Path disk, Path console,
			ProbeGuest.Target target, List<String> notes) {
		Document doc = DomainXml.parse("<domain type='" + accel + "'><name>" + name + "</name>"
				+ "<description>virtwise probe: throwaway probe guest, removed after the run</description>"
				+ "<memory unit='MiB'>512</memory><vcpu>2</vcpu>"
				+ "<os><type arch='x86_64' machine='pc'>hvm</type><kernel/><initrd/><cmdline/></os>"
				+ "<features><acpi/></features>"
				+ "<on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>"
				+ "<devices><disk type='file' device='disk'><driver name='qemu' type='raw' cache='none' io='native'/>"
				+ "<source/><target dev='vda' bus='virtio'/></disk>"
				+ "<serial type='file'><source/><target port='0'/></serial><memballoon model='none'/></devices></domain>");
		Element root = doc.getDocumentElement();
		Element os = DomainXml.child(root, "os");
		DomainXml.child(os, "kernel").setTextContent(image.kernel().toString());
		DomainXml.child(os, "initrd").setTextContent(image.initrd().toString());
		DomainXml.child(os, "cmdline").setTextContent(cmdline);
		Element devices = DomainXml.child(root, "devices");
		Element diskEl = DomainXml.child(devices, "disk");
		if (disk == null) {
			DomainXml.remove(diskEl);
			diskEl = null;
		}
		else {
			DomainXml.set(DomainXml.child(diskEl, "source"), "file", disk.toString());
		}
		DomainXml.set(DomainXml.child(DomainXml.child(devices, "serial"), "source"), "path", console.toString());
		if (target != null) {
			copyTargetSettings(doc, target, accel, diskEl, notes);
		}
		return doc;
	}

	/** CPU mode and topology, vCPUs and pinning, memory backing and the first disk's bus/cache/io, from the target. */
	private void copyTargetSettings(Document doc, ProbeGuest.Target target, String accel, Element diskEl, List<String> notes) {
		Element root = doc.getDocumentElement();
		Element src = target.xml().getDocumentElement();
		List<String> copied = new ArrayList<>();
		for (String tag : List.of("vcpu", "iothreads", "cputune", "numatune")) {
			Element e = DomainXml.child(src, tag);
			if (e != null) {
				Element existing = DomainXml.child(root, tag);
				Element imported = (Element) doc.importNode(e, true);
				if (existing != null) {
					root.replaceChild(imported, existing);
				}
				else {
					root.insertBefore(imported, DomainXml.child(root, "os"));
				}
				copied.add(tag);
			}
		}
		Element cpu = DomainXml.child(src, "cpu");
		if (cpu != null) {
			Element imported = (Element) doc.importNode(cpu, true);
			for (Element numa : DomainXml.children(imported, "numa")) {
				DomainXml.remove(numa); // its cells add up to the target's memory, not the probe guest's
			}
			String mode = imported.getAttribute("mode");
			if (accel.equals("qemu") && (mode.equals("host-passthrough") || mode.equals("host-model"))) {
				DomainXml.set(imported, "mode", "maximum");
				DomainXml.children(imported, "model").forEach(DomainXml::remove);
				DomainXml.children(imported, "cache").forEach(DomainXml::remove);
				DomainXml.children(imported, "feature").forEach(DomainXml::remove);
				notes.add("cpu mode " + mode + " needs KVM: under TCG the probe guest uses mode='maximum' with "
						+ target.facts().name() + "'s topology");
			}
			root.insertBefore(imported, DomainXml.child(root, "features").getNextSibling());
			copied.add("cpu");
		}
		Element backing = DomainXml.child(src, "memoryBacking");
		if (backing != null) {
			long pageKb = target.facts().hugepageSizeKb() == null ? 2048 : target.facts().hugepageSizeKb();
			boolean huge = Boolean.TRUE.equals(target.facts().hugepageBacked());
			long memMiB = huge ? Math.max(512, pageKb / 1024) : 512;
			long need = memMiB * 1024 / pageKb;
			long free = freeHugePages(pageKb);
			if (!huge || free >= need) {
				Element imported = (Element) doc.importNode(backing, true);
				root.insertBefore(imported, DomainXml.child(root, "vcpu"));
				DomainXml.child(root, "memory").setTextContent(Long.toString(memMiB));
				copied.add("memoryBacking");
			}
			else {
				notes.add("memoryBacking not copied: " + need + " free " + pageKb + " KiB huge pages needed, " + free + " free");
			}
		}
		GuestDisk first = target.facts().disks().stream().filter(d -> "disk".equals(d.device())).findFirst().orElse(null);
		if (first != null && diskEl != null) {
			Element driver = DomainXml.child(diskEl, "driver");
			setOrRemove(driver, "cache", first.cache());
			setOrRemove(driver, "io", first.io());
			if (first.iothread() != null && DomainXml.child(root, "iothreads") != null) {
				DomainXml.set(driver, "iothread", first.iothread().toString());
			}
			if (first.bus() != null && !first.bus().equals("virtio")) {
				notes.add(target.facts().name() + "'s disk bus is " + first.bus() + "; the probe guest has only virtio drivers and "
						+ "measures virtio-blk");
			}
			copied.add("disk cache=" + (first.cache() == null ? "default" : first.cache()) + " io="
					+ (first.io() == null ? "default" : first.io()));
		}
		notes.add("copied from " + target.facts().name() + " (read only, never started or changed): " + String.join(", ", copied)
				+ "; memory 512 MiB (or one huge page)" + (diskEl == null ? "" : ", disk a new raw image"));
	}

	private static void setOrRemove(Element e, String attribute, String value) {
		if (value == null) {
			e.removeAttribute(attribute);
		}
		else {
			DomainXml.set(e, attribute, value);
		}
	}

	long freeHugePages(long pageKb) {
		try {
			return Long.parseLong(Files.readString(roots.sys().resolve("kernel/mm/hugepages/hugepages-" + pageKb + "kB/free_hugepages")).strip());
		}
		catch (IOException | NumberFormatException e) {
			return 0;
		}
	}
}
