package io.virtwise.advice.fix;

import io.virtwise.kvm.xml.DomainEditor;
import io.virtwise.kvm.xml.DomainXml;
import io.virtwise.kvm.xml.DomainXmlParser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.virtwise.facts.CpuSets;
import io.virtwise.advice.FixStep;
import io.virtwise.advice.Recommendation;
import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.GuestNic;
import io.virtwise.facts.KvmNodeFacts;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What the KVM rules call: tests on guest facts, and each fix as the smallest edit of the guest's
 * own domain XML (a DOM edit, shown as a unified diff): it changes the attributes and elements the
 * fix is about and keeps everything else, such as the guest's NUMA cells, CPU features, addresses
 * and secrets. Static, so DRL can call it with plain method calls.
 */
public final class KvmFixes {

	private KvmFixes() {
	}

	/**
	 * Adds an edit of the guest's XML to a recommendation ({@link FixStep.DomainEdit}: a line that saves
	 * the current definition, how to apply the change, the diff) and the way back. Nothing is added when the edit changes nothing.
	 */
	public static void addDiff(Recommendation.Builder builder, GuestFacts guest, String id, Consumer<Document> edit) {
		if (!editable(guest)) {
			// nova writes the domain XML again at every hard reboot, resize and migration: an edit would not last
			builder.fix("# " + guest.name() + " is managed by OpenStack nova, which rewrites its domain XML: make this change in the "
					+ "flavor or image properties (hw:* extra specs) instead of the XML");
			return;
		}
		if (guest.domainXml() == null) {
			return;
		}
		DomainEditor.Result edited = DomainEditor.of(guest.domainXml()).apply(edit, guest.name() + ".xml", guest.name() + ".xml (virtwise)");
		if (edited.diff().isEmpty()) {
			return;
		}
		String backup = backupFile(guest.name(), id);
		// the same edited text, whole, so 'fix apply' defines exactly what the diff shows
		builder.step(new FixStep.DomainEdit(guest.name(), backup, edited.diff(), edited.edited()));
		builder.rollback("virsh define " + backup + "   # the definition saved before the change (after virtwise fix apply: virtwise fix rollback "
				+ guest.name() + ")");
		builder.rollback("# a running guest keeps its old configuration until it is shut down and started again");
	}

	/** Whether virtwise edits the guest's XML: not where a manager (OpenStack nova) rewrites it. */
	public static boolean editable(GuestFacts guest) {
		return guest.details().managedBy() == null;
	}

	static String backupFile(String guest, String id) {
		return guest + ".before-" + id + ".xml";
	}

	public static List<String> diff(GuestFacts guest, Consumer<Document> edit) {
		return guest.domainXml() == null ? List.of()
				: DomainEditor.of(guest.domainXml()).apply(edit, guest.name() + ".xml", guest.name() + ".xml (virtwise)").diff();
	}

	// --- memory ---

	/** {@code <memoryBacking><hugepages><page size=.../>}, keeping whatever else memoryBacking holds. */
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

	public static int totalVcpus(List<GuestFacts> guests) {
		return guests.stream().mapToInt(g -> g.vcpus() == null ? 0 : g.vcpus()).sum();
	}

	// --- CPU placement ---

	/**
	 * The plan's placement of one guest written into its XML: vcpupin per vCPU, emulatorpin and
	 * iothreadpin on housekeeping; for a floating guest its vCPUs confined to the shared pool with lower
	 * shares instead; on a NUMA host its memory policy, and for a guest split over nodes one guest cell
	 * per node with a matching topology and a memnode per cell. Other cputune settings stay.
	 *
	 * @param memoryMode the numatune mode to write (strict, restrictive, preferred); ignored on a one-node host
	 */
	public static Consumer<Document> placement(CpuPlan.Placement p, boolean numaHost, String memoryMode) {
		return doc -> {
			Element domain = doc.getDocumentElement();
			Element cputune = DomainXml.childOrCreate(domain, "cputune",
					DomainXml.child(domain, "iothreads") != null ? "iothreads" : "vcpu");
			if (p.kind() == CpuPlan.Kind.FLOATING) {
				DomainXml.children(cputune, "vcpupin").forEach(DomainXml::remove);
				Element vcpu = DomainXml.child(domain, "vcpu");
				if (p.othersHoldCores()) {
					// kept off the cores other guests hold, and behind them where it shares; a static set replaces numad's choice
					DomainXml.set(vcpu, "placement", "static");
					DomainXml.set(vcpu, "cpuset", CpuSets.format(p.pool()));
					Element shares = DomainXml.child(cputune, "shares");
					if (shares == null) {
						shares = DomainXml.insert(cputune, doc.createElement("shares"), null);
					}
					shares.setTextContent(String.valueOf(CpuPlan.FLOATING_SHARES));
				}
				else if (vcpu != null) {
					vcpu.removeAttribute("cpuset");
				}
			}
			else if (p.kind() != CpuPlan.Kind.KEPT) {
				Element vcpu = DomainXml.child(domain, "vcpu");
				if (vcpu != null && "auto".equals(vcpu.getAttribute("placement"))) {
					DomainXml.set(vcpu, "placement", "static");   // pins replace numad's placement
				}
				DomainXml.children(cputune, "vcpupin").forEach(DomainXml::remove);
				Element anchor = lastOf(cputune, "shares", "period", "quota", "global_period", "global_quota");
				for (Map.Entry<Integer, Integer> pin : p.vcpuToCpu().entrySet()) {
					anchor = DomainXml.insert(cputune, DomainXml.element(doc, "vcpupin", "vcpu", String.valueOf(pin.getKey()),
							"cpuset", String.valueOf(pin.getValue())), anchor);
				}
			}
			Element emulator = DomainXml.child(cputune, "emulatorpin");
			if (emulator == null) {
				emulator = DomainXml.insert(cputune, DomainXml.element(doc, "emulatorpin", "cpuset", ""), lastOf(cputune, "vcpupin"));
			}
			DomainXml.set(emulator, "cpuset", CpuSets.format(p.emulatorCpus()));
			pinIothreads(doc, cputune, p.iothreadCpus());
			if (numaHost && !p.nodes().isEmpty()) {
				numatune(doc, p, memoryMode);
			}
			if (p.kind() == CpuPlan.Kind.SPLIT) {
				guestCells(doc, p);
			}
		};
	}

	/** One iothreadpin per iothread the guest declares, on these CPUs. */
	private static void pinIothreads(Document doc, Element cputune, List<Integer> cpus) {
		if (cpus.isEmpty()) {
			return;
		}
		Element domain = doc.getDocumentElement();
		Set<String> ids = new LinkedHashSet<>();
		Element iothreadids = DomainXml.child(domain, "iothreadids");
		if (iothreadids != null) {
			DomainXml.children(iothreadids, "iothread").forEach(t -> ids.add(t.getAttribute("id")));
		}
		else {
			Element count = DomainXml.child(domain, "iothreads");
			int n = count == null ? 0 : Integer.parseInt(count.getTextContent().strip());
			for (int i = 1; i <= n; i++) {
				ids.add(String.valueOf(i));
			}
		}
		for (String id : ids) {
			Element pin = DomainXml.children(cputune, "iothreadpin").stream().filter(e -> id.equals(e.getAttribute("iothread")))
				.findFirst().orElse(null);
			if (pin == null) {
				pin = DomainXml.insert(cputune, DomainXml.element(doc, "iothreadpin", "iothread", id, "cpuset", ""),
						lastOf(cputune, "iothreadpin", "emulatorpin", "vcpupin"));
			}
			DomainXml.set(pin, "cpuset", CpuSets.format(cpus));
		}
	}

	/** Only the memory policy of a placement (a guest whose pins stay), nothing of its cputune. */
	public static Consumer<Document> numatuneOnly(CpuPlan.Placement p, String memoryMode) {
		return doc -> numatune(doc, p, memoryMode);
	}

	/** numatune's memory element on the placement's nodes, and a memnode per cell for a split guest; other memnodes stay. */
	private static void numatune(Document doc, CpuPlan.Placement p, String mode) {
		Element domain = doc.getDocumentElement();
		Element numatune = DomainXml.childOrCreate(domain, "numatune", DomainXml.child(domain, "cputune") != null ? "cputune" : "vcpu");
		Element memory = DomainXml.child(numatune, "memory");
		if (memory == null) {
			memory = DomainXml.insert(numatune, DomainXml.element(doc, "memory", "mode", mode, "nodeset", ""), null);
		}
		DomainXml.set(memory, "mode", mode);
		DomainXml.set(memory, "nodeset", CpuSets.format(p.nodes()));
		memory.removeAttribute("placement");
		if (p.cells().isEmpty() && p.node() != null) {
			// a guest kept on one node: its own cells' memory goes there too, not left on the node it leaves
			DomainXml.children(numatune, "memnode").forEach(m -> {
				DomainXml.set(m, "mode", mode);
				DomainXml.set(m, "nodeset", String.valueOf(p.node()));
			});
		}
		for (CpuPlan.Cell cell : p.cells()) {
			String id = String.valueOf(cell.id());
			Element memnode = DomainXml.children(numatune, "memnode").stream().filter(e -> id.equals(e.getAttribute("cellid")))
				.findFirst().orElse(null);
			if (memnode == null) {
				memnode = DomainXml.insert(numatune, DomainXml.element(doc, "memnode", "cellid", id, "mode", mode, "nodeset", ""),
						lastOf(numatune, "memnode", "memory"));
			}
			DomainXml.set(memnode, "mode", mode);
			DomainXml.set(memnode, "nodeset", String.valueOf(cell.hostNode()));
		}
	}

	/** A split guest's cells: its own are kept as they are; a guest without cells gets one per host node and a topology to match. */
	private static void guestCells(Document doc, CpuPlan.Placement p) {
		Element domain = doc.getDocumentElement();
		Element cpu = DomainXml.child(domain, "cpu");
		if (cpu == null) {
			Element features = DomainXml.child(domain, "features");
			cpu = DomainXml.insert(domain, doc.createElement("cpu"), features != null ? features : DomainXml.child(domain, "os"));
		}
		if (DomainXml.child(cpu, "numa") != null) {
			return;
		}
		int vcpus = p.vcpuToCpu().size();
		int cells = p.cells().size();
		int threads = vcpus % (cells * p.threadsPerCore()) == 0 ? p.threadsPerCore() : 1;
		if (vcpus % cells == 0 && DomainXml.child(cpu, "topology") == null) {
			DomainXml.insert(cpu, DomainXml.element(doc, "topology", "sockets", String.valueOf(cells), "dies", "1", "cores",
					String.valueOf(vcpus / cells / threads), "threads", String.valueOf(threads)), lastOf(cpu, "vendor", "model"));
		}
		else if (vcpus % cells == 0) {
			setTopology(DomainXml.child(cpu, "topology"), cells, vcpus / cells / threads, threads);
		}
		Element numa = DomainXml.insert(cpu, doc.createElement("numa"), null);
		for (CpuPlan.Cell cell : p.cells()) {
			DomainXml.insert(numa, DomainXml.element(doc, "cell", "id", String.valueOf(cell.id()), "cpus",
					CpuSets.format(cell.vcpus()), "memory", String.valueOf(cell.memoryKb()), "unit", "KiB"), null);
		}
	}

	/**
	 * The numatune mode to write: strict for a guest on huge pages (they come from the node's own
	 * reserved pool, so nothing is allocated later), else restrictive where libvirt has it (7.3.0 and
	 * later: the same node limit through cgroups, and movable with {@code virsh numatune --live}),
	 * else preferred.
	 */
	public static String memoryMode(GuestFacts g, KvmNodeFacts node, boolean hugepages) {
		if (hugepages || Boolean.TRUE.equals(g.hugepageBacked())) {
			return "strict";
		}
		return atLeast(node.libvirtVersion(), 7, 3) ? "restrictive" : "preferred";
	}

	static boolean atLeast(String version, int major, int minor) {
		if (version == null) {
			return false;
		}
		String[] parts = version.split("\\.");
		try {
			int ma = Integer.parseInt(parts[0]);
			int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
			return ma > major || (ma == major && mi >= minor);
		}
		catch (NumberFormatException e) {
			return false;
		}
	}

	/** The memory of a host NUMA node, or null when unknown. */
	public static Long nodeMemoryKb(KvmNodeFacts node, Integer cell) {
		if (cell == null || node.cells() == null) {
			return null;
		}
		return node.cells().stream().filter(c -> c.id() == cell).map(KvmNodeFacts.Cell::memoryKb).findFirst().orElse(null);
	}

	// --- CPU model and topology ---

	/** Models that hide most of a modern CPU's instruction set: QEMU's and KVM's generic defaults. */
	private static final Set<String> GENERIC_MODELS = Set.of("qemu64", "qemu32", "kvm64", "kvm32", "pentium", "pentium2",
			"pentium3", "486", "coreduo", "core2duo", "athlon", "phenom", "n270");

	/** No CPU element, or a custom CPU of a generic model: the guest sees a lowest-common-denominator CPU. */
	public static boolean genericCpu(GuestFacts g) {
		if ("none".equals(g.cpuMode())) {
			return true;
		}
		return "custom".equals(g.cpuMode()) && (g.cpuModel() == null || GENERIC_MODELS.contains(g.cpuModel().toLowerCase(java.util.Locale.ROOT)));
	}

	/**
	 * host-passthrough in the guest's existing {@code <cpu>}: the mode changes, the model and vendor
	 * it no longer uses go, and its topology, cache, features, maxphysaddr, NUMA cells and migratable
	 * setting stay as they are.
	 */
	public static Consumer<Document> hostPassthrough() {
		return doc -> {
			Element domain = doc.getDocumentElement();
			Element cpu = DomainXml.child(domain, "cpu");
			if (cpu == null) {
				Element features = DomainXml.child(domain, "features");
				DomainXml.insert(domain, DomainXml.element(doc, "cpu", "mode", "host-passthrough", "check", "none"),
						features != null ? features : DomainXml.child(domain, "os"));
				return;
			}
			DomainXml.set(cpu, "mode", "host-passthrough");
			cpu.removeAttribute("match");
			if (cpu.hasAttribute("check")) {
				DomainXml.set(cpu, "check", "none");
			}
			for (String unused : List.of("model", "vendor")) {
				Element e = DomainXml.child(cpu, unused);
				if (e != null) {
					DomainXml.remove(e);
				}
			}
			// nothing left inside: an empty element, as libvirt writes it
			if (cpu.getElementsByTagName("*").getLength() == 0) {
				while (cpu.getFirstChild() != null) {
					cpu.removeChild(cpu.getFirstChild());
				}
			}
		};
	}

	/**
	 * The topology the guest should see: one socket per guest NUMA cell (one without cells), and
	 * threads per core only where its vCPU pairs are pinned to sibling pairs. Null when the vCPU count
	 * does not divide into that shape.
	 */
	public static int[] wantedTopology(GuestFacts g, CpuPlan.Placement p) {
		return wantedTopology(g, p, null);
	}

	/**
	 * As {@link #wantedTopology(GuestFacts, CpuPlan.Placement)}; a guest without cells that is wider
	 * than one NUMA node of this host is given as many sockets as nodes it spans (never one socket wider
	 * than any the host has).
	 */
	public static int[] wantedTopology(GuestFacts g, CpuPlan.Placement p, KvmNodeFacts node) {
		if (g.vcpus() == null || g.vcpus() < 2) {
			return null;
		}
		int sockets = g.numaCells() != null && g.numaCells().size() >= 2 ? g.numaCells().size()
				: p != null && p.cells().size() >= 2 ? p.cells().size() : spannedSockets(g.vcpus(), node);
		int threads = p != null && p.kind() != CpuPlan.Kind.FLOATING && p.threadsPerCore() > 1 ? p.threadsPerCore() : 1;
		if (g.vcpus() % (sockets * threads) != 0) {
			threads = 1;
		}
		if (g.vcpus() % sockets != 0) {
			return null;
		}
		return new int[] {sockets, g.vcpus() / sockets / threads, threads};
	}

	/** The host sockets a guest of this many vCPUs needs at least: one unless it is wider than a host socket. */
	static int spannedSockets(int vcpus, KvmNodeFacts node) {
		// libvirt's capabilities count sockets per NUMA cell; the cells, with their CPUs, are what a guest spans
		if (node == null || node.cells() == null || node.cells().size() < 2) {
			return 1;
		}
		int perCell = node.cells().stream().mapToInt(c -> c.cpus() == null ? 0 : c.cpus().size()).max().orElse(0);
		return perCell > 0 && vcpus > perCell ? Math.min(node.cells().size(), (vcpus + perCell - 1) / perCell) : 1;
	}

	public static boolean flatTopology(GuestFacts g, CpuPlan.Placement p) {
		return flatTopology(g, p, null);
	}

	/** Flat (no topology, which QEMU shows as one socket per vCPU) or a topology with more sockets than the guest has cells. */
	public static boolean flatTopology(GuestFacts g, CpuPlan.Placement p, KvmNodeFacts node) {
		int[] wanted = wantedTopology(g, p, node);
		if (wanted == null) {
			return false;
		}
		if (g.sockets() == null || g.cores() == null || g.threads() == null) {
			return true;
		}
		int dies = g.dies() == null ? 1 : g.dies();
		return g.sockets() * dies > wanted[0] && g.cores() * g.threads() < g.vcpus();
	}

	/** Cache passthrough without a guest that mirrors the host: libvirt advises against it, emulate L3 instead. */
	public static boolean cachePassthroughWithoutMirror(GuestFacts g, KvmNodeFacts node) {
		if (!"passthrough".equals(g.cacheMode())) {
			return false;
		}
		return !(g.sockets() != null && g.sockets().equals(node.sockets()) && g.cores() != null && g.cores().equals(node.cores())
				&& g.threads() != null && g.threads().equals(node.threads()) && Boolean.TRUE.equals(g.fullyPinned()));
	}

	/** The topology element set to the wanted shape (created in the existing {@code <cpu>}), and cache passthrough turned to emulate L3. */
	public static Consumer<Document> topology(int[] wanted, boolean fixCache) {
		return doc -> {
			Element domain = doc.getDocumentElement();
			Element cpu = DomainXml.child(domain, "cpu");
			if (cpu == null) {
				Element features = DomainXml.child(domain, "features");
				cpu = DomainXml.insert(domain, doc.createElement("cpu"), features != null ? features : DomainXml.child(domain, "os"));
			}
			if (wanted != null) {
				Element topology = DomainXml.child(cpu, "topology");
				if (topology == null) {
					topology = DomainXml.insert(cpu, DomainXml.element(doc, "topology", "sockets", "", "dies", "1", "cores", "",
							"threads", ""), lastOf(cpu, "vendor", "model"));
				}
				setTopology(topology, wanted[0], wanted[1], wanted[2]);
			}
			Element cache = DomainXml.child(cpu, "cache");
			if (fixCache && cache != null && "passthrough".equals(cache.getAttribute("mode"))) {
				DomainXml.set(cache, "level", "3");
				DomainXml.set(cache, "mode", "emulate");
			}
		};
	}

	private static void setTopology(Element topology, int sockets, int cores, int threads) {
		DomainXml.set(topology, "sockets", String.valueOf(sockets));
		if (topology.hasAttribute("dies")) {
			DomainXml.set(topology, "dies", "1");
		}
		DomainXml.set(topology, "cores", String.valueOf(cores));
		DomainXml.set(topology, "threads", String.valueOf(threads));
	}

	/** Fewer vCPUs: the vcpu count (and a smaller current count) with a topology that multiplies out to it. */
	public static Consumer<Document> shrink(int vcpus) {
		return doc -> {
			Element domain = doc.getDocumentElement();
			Element vcpu = DomainXml.child(domain, "vcpu");
			vcpu.setTextContent(String.valueOf(vcpus));
			if (vcpu.hasAttribute("current") && Integer.parseInt(vcpu.getAttribute("current").strip()) > vcpus) {
				DomainXml.set(vcpu, "current", String.valueOf(vcpus));
			}
			Element cpu = DomainXml.child(domain, "cpu");
			Element topology = cpu == null ? null : DomainXml.child(cpu, "topology");
			if (topology != null) {
				int threads = DomainXmlParser.integer(topology.getAttribute("threads")) == null ? 1
						: DomainXmlParser.integer(topology.getAttribute("threads"));
				setTopology(topology, 1, vcpus % threads == 0 ? vcpus / threads : vcpus, vcpus % threads == 0 ? threads : 1);
			}
		};
	}

	public static Consumer<Document> kvmAccel() {
		return doc -> DomainXml.set(doc.getDocumentElement(), "type", "kvm");
	}

	// --- disks ---

	/** A local image or device (not a network disk or a pool volume, whose path this host may not see). */
	public static boolean localDisk(GuestDisk d) {
		return d.sourceType() == null || d.sourceType().equals("file") || d.sourceType().equals("block");
	}

	/**
	 * An image in memory-backed storage (tmpfs, ramfs): there is no host page cache to bypass, and
	 * O_DIRECT, which cache='none' opens the image with, fails there on older kernels. Where the
	 * filesystem was not read (imported XML), /dev/shm and /run count: they are tmpfs by definition.
	 */
	public static boolean withoutDirectIo(GuestDisk d) {
		if (d.sourceFilesystem() != null) {
			return List.of("tmpfs", "ramfs", "devtmpfs").contains(d.sourceFilesystem());
		}
		return d.source() != null && (d.source().startsWith("/dev/shm/") || d.source().startsWith("/run/"));
	}

	/**
	 * A local disk through the host page cache (cache unset means writeback) or QEMU's thread pool
	 * (io unset means threads). io_uring is a good mode and stays; network disks (RBD keeps
	 * writeback, its own cache) and images on filesystems without O_DIRECT are left alone.
	 */
	public static boolean slowCacheOrIo(GuestDisk disk) {
		if (disk.target() == null || !"disk".equals(disk.device()) || !localDisk(disk) || withoutDirectIo(disk)) {
			return false;
		}
		boolean cacheSlow = disk.cache() == null || !(disk.cache().equals("none") || disk.cache().equals("directsync"));
		boolean ioSlow = disk.io() == null || disk.io().equals("threads");
		return cacheSlow || ioSlow;
	}

	/** A disk (not a CD-ROM or floppy, which virtio cannot carry) on an emulated IDE or SATA controller. */
	public static boolean emulatedBus(GuestDisk disk) {
		return disk.target() != null && "disk".equals(disk.device()) && disk.bus() != null && (disk.bus().equals("ide") || disk.bus().equals("sata"));
	}

	/** A SCSI controller QEMU emulates in full (lsilogic, the default model, and the other non-virtio ones). */
	public static boolean emulatedScsi(String model) {
		return model == null || !model.equals("virtio-scsi") && !model.startsWith("virtio");
	}

	public static boolean emulatedNic(String model) {
		return model != null && List.of("e1000", "e1000e", "rtl8139", "ne2k_pci", "pcnet", "i82551", "i82557b", "i82559er")
			.contains(model);
	}

	public static List<String> describe(List<GuestDisk> disks) {
		List<String> out = new ArrayList<>();
		for (GuestDisk d : disks) {
			out.add(d.target() + " bus=" + d.bus() + " format=" + d.format() + " cache=" + d.cache() + " io=" + d.io());
		}
		return out;
	}

	private static final String DISKS_BY_TARGET = "virtwise.disksByTarget";

	/**
	 * The disk with this target name. The index kept with the document makes a fix per disk of a guest
	 * with thousands of disks linear; an entry an edit has since moved or renamed is looked up afresh.
	 */
	@SuppressWarnings("unchecked")
	private static Element diskElement(Document doc, String target) {
		Element devices = DomainXml.child(doc.getDocumentElement(), "devices");
		if (doc.getUserData(DISKS_BY_TARGET) instanceof Map<?, ?> index) {
			Element indexed = ((Map<String, Element>) index).get(target);
			if (indexed != null && indexed.getParentNode() == devices && target.equals(targetOf(indexed))) {
				return indexed;
			}
		}
		Map<String, Element> index = new java.util.HashMap<>();
		Element found = null;
		for (Element disk : DomainXml.children(devices, "disk")) {
			String dev = targetOf(disk);
			if (dev != null) {
				index.putIfAbsent(dev, disk);
			}
			if (found == null && target.equals(dev)) {
				found = disk;
			}
		}
		doc.setUserData(DISKS_BY_TARGET, index, null);
		if (found == null) {
			throw new IllegalArgumentException("no disk " + target);
		}
		return found;
	}

	private static String targetOf(Element disk) {
		Element t = DomainXml.child(disk, "target");
		return t == null ? null : t.getAttribute("dev");
	}

	/** cache='none'; io='native' unless the disk already uses io_uring, which works with it. */
	public static Consumer<Document> diskCacheNone(String target) {
		return doc -> {
			Element driver = DomainXml.childOrCreate(diskElement(doc, target), "driver", null);
			DomainXml.set(driver, "cache", "none");
			if (!"io_uring".equals(driver.getAttribute("io"))) {
				DomainXml.set(driver, "io", "native");
			}
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
			// qemu-img convert reads the whole backing chain into the raw file; libvirt refuses a raw disk with a backing store
			Element backing = DomainXml.child(disk, "backingStore");
			if (backing != null) {
				DomainXml.remove(backing);
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

	/** virtio bus with a free vd* name; the old drive address goes, libvirt assigns a PCI one. */
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

	/** The first vd* name no disk of the guest uses yet, preferring the one that keeps the old letter (hdb -> vdb). */
	public static String virtioName(GuestFacts g, String target) {
		// every disk the rules move gets its name here, in disk order, so two moves never take the same one
		Set<String> taken = new java.util.HashSet<>();
		g.disks().forEach(d -> taken.add(d.target()));
		for (GuestDisk d : g.disks()) {
			if (!emulatedBus(d) || d.target() == null) {
				continue;
			}
			String name = freeName(d.target(), taken);
			if (d.target().equals(target)) {
				return name;
			}
			taken.add(name);
		}
		return freeName(target, taken);
	}

	private static String freeName(String target, Set<String> taken) {
		String same = target == null || target.length() < 3 ? null : "vd" + target.substring(2);
		if (same != null && !taken.contains(same)) {
			return same;
		}
		// the first free name in libvirt's order (vda..vdz, vdaa..): a guest has fewer disks than names
		for (int index = 0;; index++) {
			String name = "vd" + diskLetters(index);
			if (!taken.contains(name)) {
				return name;
			}
		}
	}

	/** libvirt's disk letters for an index (virDiskNameToIndex in reverse): 0 is a, 25 is z, 26 is aa. */
	static String diskLetters(int index) {
		StringBuilder letters = new StringBuilder();
		for (int n = index + 1; n > 0; n = (n - 1) / 26) {
			letters.append((char) ('a' + (n - 1) % 26));
		}
		return letters.reverse().toString();
	}

	/** The disk's iothread: an existing one (from iothreadids or the count), else a first one declared for it. */
	public static Consumer<Document> iothread(String target) {
		return doc -> {
			Element domain = doc.getDocumentElement();
			String id;
			Element iothreadids = DomainXml.child(domain, "iothreadids");
			Element iothreads = DomainXml.child(domain, "iothreads");
			if (iothreadids != null && DomainXml.child(iothreadids, "iothread") != null) {
				id = DomainXml.child(iothreadids, "iothread").getAttribute("id");
			}
			else if (iothreads != null && iothreads.getTextContent().strip().matches("[1-9][0-9]*")) {
				id = "1";
			}
			else {
				iothreads = DomainXml.insert(domain, doc.createElement("iothreads"), DomainXml.child(domain, "vcpu"));
				iothreads.setTextContent("1");
				id = "1";
			}
			DomainXml.set(DomainXml.childOrCreate(diskElement(doc, target), "driver", null), "iothread", id);
		};
	}

	/** The SCSI controller's model to virtio-scsi; its disks stay on it with their names and addresses. */
	public static Consumer<Document> scsiVirtio(int index) {
		return doc -> {
			Element devices = DomainXml.child(doc.getDocumentElement(), "devices");
			for (Element controller : DomainXml.children(devices, "controller")) {
				if ("scsi".equals(controller.getAttribute("type")) && String.valueOf(index).equals(controller.getAttribute("index"))) {
					DomainXml.set(controller, "model", "virtio-scsi");
				}
			}
		};
	}

	// --- NICs ---

	private static List<Element> nics(Document doc, GuestNic nic) {
		List<Element> out = new ArrayList<>();
		Element devices = DomainXml.child(doc.getDocumentElement(), "devices");
		for (Element e : DomainXml.children(devices, "interface")) {
			Element mac = DomainXml.child(e, "mac");
			Element model = DomainXml.child(e, "model");
			boolean same = nic.mac() != null ? mac != null && nic.mac().equals(mac.getAttribute("address"))
					: model != null && nic.model() != null && nic.model().equals(model.getAttribute("type"));
			if (same) {
				out.add(e);
			}
		}
		return out;
	}

	/** virtio-net in place of an emulated model (vhost where the interface can use it); the PCI address stays. */
	public static Consumer<Document> nicVirtio(GuestNic nic) {
		return doc -> {
			for (Element e : nics(doc, nic)) {
				Element model = DomainXml.child(e, "model");
				DomainXml.set(model, "type", "virtio");
				if (DomainXml.child(e, "driver") == null && !"user".equals(e.getAttribute("type"))) {
					DomainXml.insert(e, DomainXml.element(doc, "driver", "name", "vhost"), model);
				}
			}
		};
	}

	/** A tap-backed virtio NIC: multiqueue helps only there (user-mode and vhost-user back ends differ). */
	public static boolean tapBacked(GuestNic nic) {
		return nic.type() != null && List.of("network", "bridge", "direct", "ethernet").contains(nic.type());
	}

	/** A virtio NIC on the tap back end, which vhost-net serves. */
	public static boolean hasTapVirtioNic(GuestFacts g) {
		return g.nics() != null && g.nics().stream().anyMatch(n -> "virtio".equals(n.model()) && tapBacked(n));
	}

	/** One queue pair per vCPU, up to QEMU's and the guest driver's practical limit. */
	public static int queuesFor(int vcpus) {
		return Math.min(vcpus, 16);
	}

	public static Consumer<Document> nicQueues(GuestNic nic, int queues) {
		return doc -> {
			for (Element e : nics(doc, nic)) {
				Element driver = DomainXml.child(e, "driver");
				if (driver == null) {
					driver = DomainXml.insert(e, DomainXml.element(doc, "driver", "name", "vhost"), DomainXml.child(e, "model"));
				}
				DomainXml.set(driver, "queues", String.valueOf(queues));
			}
		};
	}

	// --- helpers ---

	/** The last child with any of these tags, for inserting after it; null when none. */
	private static Element lastOf(Element parent, String... tags) {
		Element last = null;
		for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
			if (n instanceof Element e && List.of(tags).contains(e.getTagName())) {
				last = e;
			}
		}
		return last;
	}
}
