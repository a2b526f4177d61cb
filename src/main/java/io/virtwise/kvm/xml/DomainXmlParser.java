package io.virtwise.kvm.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import io.virtwise.facts.CpuSets;
import io.virtwise.facts.GuestCell;
import io.virtwise.facts.GuestController;
import io.virtwise.facts.GuestDetails;
import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.GuestNic;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code virsh dumpxml} into {@link GuestFacts}. The text is redacted before it is parsed, so a
 * VNC or SPICE password never reaches the facts, not even in the kept copy of the XML.
 */
public final class DomainXmlParser {

	private DomainXmlParser() {
	}

	public static GuestFacts parse(String xml) {
		String redacted = DomainXml.redact(xml);
		Document doc = DomainXml.parse(redacted);
		Element domain = doc.getDocumentElement();
		if (!"domain".equals(domain.getTagName())) {
			throw new IllegalArgumentException("not libvirt domain XML (root element <" + domain.getTagName() + ">)");
		}
		Element memoryBacking = DomainXml.child(domain, "memoryBacking");
		Element hugepages = memoryBacking == null ? null : DomainXml.child(memoryBacking, "hugepages");
		Long pageSizeKb = null;
		if (hugepages != null) {
			Element page = DomainXml.child(hugepages, "page");
			pageSizeKb = page == null ? null : toKb(page.getAttribute("size"), page.getAttribute("unit"));
		}

		Element cputune = DomainXml.child(domain, "cputune");
		Map<Integer, String> pins = pins(cputune, "vcpupin", "vcpu");
		Map<Integer, String> iothreadPins = pins(cputune, "iothreadpin", "iothread");
		Element emulator = cputune == null ? null : DomainXml.child(cputune, "emulatorpin");
		String emulatorPin = emulator == null ? "" : emulator.getAttribute("cpuset");
		SortedSet<Integer> pinned = CpuSets.parse(pins.values());

		Element numatune = DomainXml.child(domain, "numatune");
		Element numaMemory = numatune == null ? null : DomainXml.child(numatune, "memory");
		String numaMode = numaMemory == null ? null : attr(numaMemory, "mode", "strict");
		String nodeset = numaMemory == null ? null : emptyToNull(numaMemory.getAttribute("nodeset"));
		SortedSet<Integer> nodes = nodeset == null ? null : CpuSets.parse(List.of(nodeset));

		Element cpu = DomainXml.child(domain, "cpu");
		String cpuMode = cpu == null ? "none" : attr(cpu, "mode", "custom");
		String cpuModel = null;
		Integer sockets = null;
		Integer dies = null;
		Integer cores = null;
		Integer threads = null;
		String cacheMode = null;
		List<GuestCell> cells = new ArrayList<>();
		if (cpu != null) {
			Element numa = DomainXml.child(cpu, "numa");
			for (Element cell : numa == null ? List.<Element>of() : DomainXml.children(numa, "cell")) {
				Integer id = integer(cell.getAttribute("id"));
				cells.add(new GuestCell(id == null ? cells.size() : id, emptyToNull(cell.getAttribute("cpus")),
						toKb(cell.getAttribute("memory"), cell.getAttribute("unit"))));
			}
			Element model = DomainXml.child(cpu, "model");
			cpuModel = model == null ? null : emptyToNull(model.getTextContent().strip());
			Element topology = DomainXml.child(cpu, "topology");
			if (topology != null) {
				sockets = integer(topology.getAttribute("sockets"));
				dies = integer(topology.getAttribute("dies"));
				cores = integer(topology.getAttribute("cores"));
				threads = integer(topology.getAttribute("threads"));
			}
			Element cache = DomainXml.child(cpu, "cache");
			cacheMode = cache == null ? null : emptyToNull(cache.getAttribute("mode"));
		}

		Element iothreadsElement = DomainXml.child(domain, "iothreads");
		int iothreads = iothreadsElement == null ? 0 : orZero(integer(iothreadsElement.getTextContent().strip()));

		List<GuestDisk> disks = new ArrayList<>();
		List<GuestNic> nics = new ArrayList<>();
		List<GuestController> controllers = new ArrayList<>();
		String balloon = null;
		Element devices = DomainXml.child(domain, "devices");
		if (devices != null) {
			for (Element disk : DomainXml.children(devices, "disk")) {
				disks.add(disk(disk));
			}
			for (Element nic : DomainXml.children(devices, "interface")) {
				Element model = DomainXml.child(nic, "model");
				Element driver = DomainXml.child(nic, "driver");
				Element source = DomainXml.child(nic, "source");
				String sourceName = source == null ? null
						: firstNonEmpty(source.getAttribute("network"), source.getAttribute("bridge"), source.getAttribute("dev"));
				Element backend = DomainXml.child(nic, "backend");
				Element mac = DomainXml.child(nic, "mac");
				nics.add(new GuestNic(emptyToNull(nic.getAttribute("type")),
						model == null ? null : emptyToNull(model.getAttribute("type")),
						driver == null ? null : emptyToNull(driver.getAttribute("name")), sourceName,
						driver == null ? null : integer(driver.getAttribute("queues")),
						backend == null ? null : emptyToNull(backend.getAttribute("type")),
						mac == null ? null : emptyToNull(mac.getAttribute("address"))));
			}
			for (Element controller : DomainXml.children(devices, "controller")) {
				String type = controller.getAttribute("type");
				Integer index = integer(controller.getAttribute("index"));
				if (List.of("scsi", "sata", "ide").contains(type) && index != null) {
					Element driver = DomainXml.child(controller, "driver");
					controllers.add(new GuestController(type, index, emptyToNull(controller.getAttribute("model")),
							driver == null ? null : integer(driver.getAttribute("iothread"))));
				}
			}
			Element memballoon = DomainXml.child(devices, "memballoon");
			balloon = memballoon == null ? "none" : attr(memballoon, "model", "none");
		}

		Element vcpu = DomainXml.child(domain, "vcpu");
		Element memory = DomainXml.child(domain, "memory");
		Element name = DomainXml.child(domain, "name");
		Element uuid = DomainXml.child(domain, "uuid");
		return new GuestFacts(
				name == null ? null : name.getTextContent().strip(),
				uuid == null ? null : uuid.getTextContent().strip(),
				null,
				emptyToNull(domain.getAttribute("type")),
				vcpu == null ? null : integer(vcpu.getTextContent().strip()),
				memory == null ? null : toKb(memory.getTextContent().strip(), memory.getAttribute("unit")),
				hugepages != null,
				pinned == null ? null : List.copyOf(pinned),
				nodes == null ? null : List.copyOf(new TreeSet<>(nodes)),
				cpuMode, cpuModel, sockets, dies, cores, threads, cacheMode, pins, emulatorPin, iothreadPins, iothreads,
				numaMode, nodeset, hugepages == null ? null : pageSizeKb, disks, nics, balloon, redacted, cells, controllers,
				details(domain, memoryBacking, hugepages, numatune, vcpu));
	}

	/** Architecture, memory source, numad placement, memnodes, per-cell page sizes, and who manages the guest. */
	private static GuestDetails details(Element domain, Element memoryBacking, Element hugepages, Element numatune, Element vcpu) {
		Element os = DomainXml.child(domain, "os");
		Element type = os == null ? null : DomainXml.child(os, "type");
		Element source = memoryBacking == null ? null : DomainXml.child(memoryBacking, "source");
		Element numaMemory = numatune == null ? null : DomainXml.child(numatune, "memory");
		boolean numad = vcpu != null && "auto".equals(vcpu.getAttribute("placement"))
				|| numaMemory != null && "auto".equals(numaMemory.getAttribute("placement"));
		Map<Integer, String> memnodes = new TreeMap<>();
		for (Element memnode : numatune == null ? List.<Element>of() : DomainXml.children(numatune, "memnode")) {
			Integer cell = integer(memnode.getAttribute("cellid"));
			if (cell != null) {
				memnodes.put(cell, memnode.getAttribute("nodeset"));
			}
		}
		Map<Integer, Long> pageSizes = new TreeMap<>();
		for (Element page : hugepages == null ? List.<Element>of() : DomainXml.children(hugepages, "page")) {
			Long size = toKb(page.getAttribute("size"), page.getAttribute("unit"));
			SortedSet<Integer> cells = page.getAttribute("nodeset").isEmpty() ? null : CpuSets.parse(List.of(page.getAttribute("nodeset")));
			if (size != null && cells != null) {
				cells.forEach(c -> pageSizes.put(c, size));
			}
		}
		Element metadata = DomainXml.child(domain, "metadata");
		boolean nova = metadata != null && DomainXml.children(metadata, "nova:instance").size() > 0;
		return new GuestDetails(type == null ? null : emptyToNull(type.getAttribute("arch")), source == null ? null
				: emptyToNull(source.getAttribute("type")), numad, memnodes, pageSizes, nova ? "nova" : null);
	}

	/** cputune's {@code <vcpupin vcpu='N' cpuset='..'/>} or {@code <iothreadpin iothread='N' ...>}, by number; none without cputune. */
	private static Map<Integer, String> pins(Element cputune, String tag, String numberAttribute) {
		Map<Integer, String> pins = new TreeMap<>();
		for (Element pin : cputune == null ? List.<Element>of() : DomainXml.children(cputune, tag)) {
			Integer n = integer(pin.getAttribute(numberAttribute));
			if (n != null) {
				pins.put(n, pin.getAttribute("cpuset"));
			}
		}
		return pins;
	}

	private static GuestDisk disk(Element disk) {
		Element target = DomainXml.child(disk, "target");
		Element driver = DomainXml.child(disk, "driver");
		Element source = DomainXml.child(disk, "source");
		String sourcePath = source == null ? null
				: firstNonEmpty(source.getAttribute("file"), source.getAttribute("dev"), source.getAttribute("name"),
						source.getAttribute("volume"));
		Element address = DomainXml.child(disk, "address");
		Integer controller = address != null && "drive".equals(address.getAttribute("type"))
				? integer(address.getAttribute("controller")) : null;
		return new GuestDisk(
				target == null ? null : emptyToNull(target.getAttribute("dev")),
				attr(disk, "device", "disk"),
				target == null ? null : emptyToNull(target.getAttribute("bus")),
				driver == null ? null : emptyToNull(driver.getAttribute("type")),
				driver == null ? null : emptyToNull(driver.getAttribute("cache")),
				driver == null ? null : emptyToNull(driver.getAttribute("io")),
				driver == null ? null : integer(driver.getAttribute("iothread")),
				sourcePath, attr(disk, "type", "file"), source == null ? null : emptyToNull(source.getAttribute("protocol")),
				controller, null);
	}

	/** libvirt's scaled integers: bytes, KiB (the default), MiB, GiB, TiB and the SI forms. */
	static Long toKb(String value, String unit) {
		Long n = longOrNull(value);
		if (n == null) {
			return null;
		}
		String u = unit == null || unit.isEmpty() ? "KiB" : unit;
		return switch (u) {
			case "b", "bytes" -> n / 1024;
			case "KB" -> n * 1000 / 1024;
			case "k", "KiB" -> n;
			case "MB" -> n * 1000 * 1000 / 1024;
			case "M", "MiB" -> n * 1024;
			case "GB" -> n * 1000 * 1000 * 1000 / 1024;
			case "G", "GiB" -> n * 1024 * 1024;
			case "T", "TiB" -> n * 1024 * 1024 * 1024;
			default -> null;
		};
	}

	private static String attr(Element e, String name, String fallback) {
		String v = e.getAttribute(name);
		return v.isEmpty() ? fallback : v;
	}

	private static String firstNonEmpty(String... values) {
		for (String v : values) {
			if (v != null && !v.isEmpty()) {
				return v;
			}
		}
		return null;
	}

	private static String emptyToNull(String s) {
		return s == null || s.isEmpty() ? null : s;
	}

	private static int orZero(Integer i) {
		return i == null ? 0 : i;
	}

	public static Integer integer(String s) {
		try {
			return s == null || s.isBlank() ? null : Integer.valueOf(s.strip());
		}
		catch (NumberFormatException e) {
			return null;
		}
	}

	static Long longOrNull(String s) {
		try {
			return s == null || s.isBlank() ? null : Long.valueOf(s.strip());
		}
		catch (NumberFormatException e) {
			return null;
		}
	}
}
