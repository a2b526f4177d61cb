package io.virtwise.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.virtwise.advice.CpuSets;
import io.virtwise.advice.PinningPlanner;
import io.virtwise.advice.Recommendation;
import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.KvmNodeFacts;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What the KVM rules call: tests on guest facts, and each fix as a unified diff of the guest's
 * own domain XML, edited with DOM. Static, so DRL can call it with plain method calls.
 */
public final class KvmFixes {

	private KvmFixes() {
	}

	/** Adds an edit of the guest's XML to a recommendation: how to apply it, then the diff. */
	public static void addDiff(Recommendation.Builder builder, GuestFacts guest, Consumer<Document> edit) {
		String[] edited = edited(guest, edit);
		if (edited == null) {
			return;
		}
		List<String> diff = DomainXmlDiff.diff(edited[0], edited[1], guest.name() + ".xml", guest.name() + ".xml (virtwise)");
		if (diff.isEmpty()) {
			return;
		}
		builder.fix("# virsh edit " + guest.name() + "   # make this change to the domain XML:");
		diff.forEach(builder::fix);
		// the same edited text, whole, so 'fix apply' defines exactly what the diff shows
		builder.newDomainXml(edited[1]);
	}

	public static List<String> diff(GuestFacts guest, Consumer<Document> edit) {
		String[] edited = edited(guest, edit);
		return edited == null ? List.of()
				: DomainXmlDiff.diff(edited[0], edited[1], guest.name() + ".xml", guest.name() + ".xml (virtwise)");
	}

	/** The guest's XML as written before and after the edit; null without XML. */
	private static String[] edited(GuestFacts guest, Consumer<Document> edit) {
		if (guest.domainXml() == null) {
			return null;
		}
		Document doc = DomainXml.parse(guest.domainXml());
		String before = DomainXml.write(doc);
		edit.accept(doc);
		return new String[] {before, DomainXml.write(doc)};
	}

	// --- memory ---

	public static Consumer<Document> hugepages(long pageSizeKb) {
		return doc -> {
			Element domain = doc.getDocumentElement();
			Element backing = DomainXml.childOrCreate(domain, "memoryBacking",
					DomainXml.child(domain, "currentMemory") != null ? "currentMemory" : "memory");
			Element hugepages = DomainXml.childOrCreate(backing, "hugepages", null);
			if (DomainXml.child(hugepages, "page") == null) {
				DomainXml.insert(hugepages, DomainXml.element(doc, "page", "size", String.valueOf(pageSizeKb), "unit", "KiB"), null);
			}
		};
	}

	/** Pages of {@code pageSizeKb} the guest's memory needs, rounded up. */
	public static long pagesFor(GuestFacts guest, long pageSizeKb) {
		return (guest.memoryKb() + pageSizeKb - 1) / pageSizeKb;
	}

	/** The NUMA node the guest's memory should come from: its numatune node, its pinned CPUs' node, its plan's, else 0. */
	public static int homeNode(KvmNodeFacts node, List<GuestFacts> guests, GuestFacts guest) {
		if (guest.numaNodes() != null && guest.numaNodes().size() == 1) {
			return guest.numaNodes().get(0);
		}
		if (guest.pinnedCpus() != null && !guest.pinnedCpus().isEmpty()) {
			var home = CpuSets.homeNode(guest.pinnedCpus(), node.numaNodes());
			if (home != null) {
				return home.id();
			}
		}
		PinningPlanner.Plan plan = PinningPlanner.planFor(node, guests, guest.name());
		if (plan != null) {
			return plan.node();
		}
		return node.cells() == null || node.cells().isEmpty() ? 0 : node.cells().get(0).id();
	}

	/** nr_hugepages to write for the node so the guest's pages fit beside what is already reserved there. */
	public static long nodeHugepagesTarget(KvmNodeFacts node, int cellId, GuestFacts guest, long pageSizeKb) {
		long needed = pagesFor(guest, pageSizeKb);
		KvmNodeFacts.Cell cell = node.cells() == null ? null
				: node.cells().stream().filter(c -> c.id() == cellId).findFirst().orElse(null);
		KvmNodeFacts.Pages pages = cell == null ? null : cell.pagesOf(pageSizeKb);
		long total = pages == null || pages.total() == null ? 0 : pages.total();
		long free = pages == null || pages.free() == null ? 0 : pages.free();
		return total + Math.max(0, needed - free);
	}

	public static boolean supportsPageSize(KvmNodeFacts node, long sizeKb) {
		return node.pageSizesKb() != null && node.pageSizesKb().contains(sizeKb);
	}

	// --- CPU ---

	public static int totalVcpus(List<GuestFacts> guests) {
		return guests.stream().mapToInt(g -> g.vcpus() == null ? 0 : g.vcpus()).sum();
	}

	public static Consumer<Document> pinning(PinningPlanner.Plan plan) {
		return doc -> {
			Element domain = doc.getDocumentElement();
			Element cputune = DomainXml.childOrCreate(domain, "cputune", DomainXml.child(domain, "iothreads") != null ? "iothreads" : "vcpu");
			DomainXml.children(cputune, "vcpupin").forEach(DomainXml::remove);
			Element emulator = DomainXml.child(cputune, "emulatorpin");
			if (emulator != null) {
				DomainXml.remove(emulator);
			}
			Element anchor = null;
			for (Map.Entry<Integer, Integer> pin : plan.vcpuToCpu().entrySet()) {
				anchor = DomainXml.insert(cputune, DomainXml.element(doc, "vcpupin", "vcpu", String.valueOf(pin.getKey()),
						"cpuset", String.valueOf(pin.getValue())), anchor);
			}
			DomainXml.insert(cputune, DomainXml.element(doc, "emulatorpin", "cpuset", CpuSets.format(plan.emulatorCpus())), anchor);
			numatune(plan.node()).accept(doc);
		};
	}

	public static Consumer<Document> numatune(int nodeId) {
		return doc -> {
			Element domain = doc.getDocumentElement();
			Element numatune = DomainXml.childOrCreate(domain, "numatune",
					DomainXml.child(domain, "cputune") != null ? "cputune" : "vcpu");
			Element memory = DomainXml.child(numatune, "memory");
			if (memory == null) {
				DomainXml.insert(numatune, DomainXml.element(doc, "memory", "mode", "strict", "nodeset", String.valueOf(nodeId)), null);
			}
			else {
				DomainXml.set(memory, "mode", "strict");
				DomainXml.set(memory, "nodeset", String.valueOf(nodeId));
			}
		};
	}

	/** Threads per core the guest should see: the host's, when the vCPU count divides by it. */
	public static int guestThreads(KvmNodeFacts node, int vcpus) {
		int hostThreads = node.threads() == null ? 1 : node.threads();
		return hostThreads > 1 && vcpus % hostThreads == 0 ? hostThreads : 1;
	}

	public static String topologyText(KvmNodeFacts node, int vcpus) {
		int threads = guestThreads(node, vcpus);
		return "sockets=1 dies=1 cores=" + (vcpus / threads) + " threads=" + threads;
	}

	/** host-passthrough with a one-socket topology (the guest is pinned within one node) and cache passthrough. */
	public static Consumer<Document> hostPassthrough(KvmNodeFacts node, int vcpus) {
		int threads = guestThreads(node, vcpus);
		return doc -> {
			Element domain = doc.getDocumentElement();
			Element old = DomainXml.child(domain, "cpu");
			Element cpu = DomainXml.element(doc, "cpu", "mode", "host-passthrough", "check", "none", "migratable", "on");
			// Placed first, so its children are indented at its depth.
			if (old != null) {
				domain.replaceChild(cpu, old);
			}
			else {
				Element features = DomainXml.child(domain, "features");
				DomainXml.insert(domain, cpu, features != null ? features : DomainXml.child(domain, "os"));
			}
			DomainXml.insert(cpu, DomainXml.element(doc, "topology", "sockets", "1", "dies", "1",
					"cores", String.valueOf(vcpus / threads), "threads", String.valueOf(threads)), null);
			DomainXml.insert(cpu, DomainXml.element(doc, "cache", "mode", "passthrough"), null);
		};
	}

	public static boolean topologyMatchesHost(GuestFacts guest, KvmNodeFacts node) {
		if (guest.sockets() == null || guest.cores() == null || guest.threads() == null || guest.vcpus() == null) {
			return false;
		}
		return guest.threads() == guestThreads(node, guest.vcpus())
				&& guest.sockets() * Math.max(1, guest.dies() == null ? 1 : guest.dies()) * guest.cores() * guest.threads() == guest.vcpus();
	}

	public static Consumer<Document> kvmAccel() {
		return doc -> DomainXml.set(doc.getDocumentElement(), "type", "kvm");
	}

	// --- I/O ---

	/** cache other than none/directsync (unset means QEMU's writeback) or io threads (also the default). */
	public static boolean slowCacheOrIo(GuestDisk disk) {
		if (!"disk".equals(disk.device())) {
			return false;
		}
		boolean cacheSlow = disk.cache() == null || !(disk.cache().equals("none") || disk.cache().equals("directsync"));
		boolean ioSlow = disk.io() == null || disk.io().equals("threads");
		return cacheSlow || ioSlow;
	}

	public static boolean emulatedBus(GuestDisk disk) {
		return disk.bus() != null && (disk.bus().equals("ide") || disk.bus().equals("sata"));
	}

	public static boolean emulatedNic(String model) {
		return model != null && List.of("e1000", "e1000e", "rtl8139", "ne2k_pci", "pcnet").contains(model);
	}

	public static List<String> describe(List<GuestDisk> disks) {
		List<String> out = new ArrayList<>();
		for (GuestDisk d : disks) {
			out.add(d.target() + " bus=" + d.bus() + " format=" + d.format() + " cache=" + d.cache() + " io=" + d.io());
		}
		return out;
	}

	private static Element diskElement(Document doc, String target) {
		Element devices = DomainXml.child(doc.getDocumentElement(), "devices");
		for (Element disk : DomainXml.children(devices, "disk")) {
			Element t = DomainXml.child(disk, "target");
			if (t != null && target.equals(t.getAttribute("dev"))) {
				return disk;
			}
		}
		throw new IllegalArgumentException("no disk " + target);
	}

	public static Consumer<Document> diskCacheNone(String target) {
		return doc -> {
			Element disk = diskElement(doc, target);
			Element driver = DomainXml.childOrCreate(disk, "driver", null);
			DomainXml.set(driver, "cache", "none");
			DomainXml.set(driver, "io", "native");
		};
	}

	public static Consumer<Document> diskRaw(String target, String rawPath) {
		return doc -> {
			Element disk = diskElement(doc, target);
			DomainXml.set(DomainXml.childOrCreate(disk, "driver", null), "type", "raw");
			Element source = DomainXml.child(disk, "source");
			if (source != null && source.hasAttribute("file") && rawPath != null) {
				DomainXml.set(source, "file", rawPath);
			}
		};
	}

	/** The raw image next to the qcow2 one: same path, .raw instead of .qcow2. */
	public static String rawPathFor(String source) {
		if (source == null) {
			return null;
		}
		return source.endsWith(".qcow2") ? source.substring(0, source.length() - ".qcow2".length()) + ".raw" : source + ".raw";
	}

	/** virtio bus with a vd* name; the old drive address goes, libvirt assigns a PCI one. */
	public static Consumer<Document> diskVirtio(String target, String newTarget) {
		return doc -> {
			Element disk = diskElement(doc, target);
			Element t = DomainXml.child(disk, "target");
			DomainXml.set(t, "dev", newTarget);
			DomainXml.set(t, "bus", "virtio");
			Element address = DomainXml.child(disk, "address");
			if (address != null) {
				DomainXml.remove(address);
			}
		};
	}

	public static String virtioName(String target) {
		return target == null || target.length() < 3 ? "vda" : "vd" + target.substring(2);
	}

	public static Consumer<Document> nicVirtio(String oldModel) {
		return doc -> {
			Element devices = DomainXml.child(doc.getDocumentElement(), "devices");
			for (Element nic : DomainXml.children(devices, "interface")) {
				Element model = DomainXml.child(nic, "model");
				if (model != null && oldModel.equals(model.getAttribute("type"))) {
					DomainXml.set(model, "type", "virtio");
					if (DomainXml.child(nic, "driver") == null) {
						DomainXml.insert(nic, DomainXml.element(doc, "driver", "name", "vhost"), model);
					}
				}
			}
		};
	}

	public static Consumer<Document> iothread(String target) {
		return doc -> {
			Element domain = doc.getDocumentElement();
			Element iothreads = DomainXml.child(domain, "iothreads");
			if (iothreads == null) {
				iothreads = DomainXml.insert(domain, doc.createElement("iothreads"), DomainXml.child(domain, "vcpu"));
				iothreads.setTextContent("1");
			}
			DomainXml.set(DomainXml.childOrCreate(diskElement(doc, target), "driver", null), "iothread", "1");
		};
	}
}
