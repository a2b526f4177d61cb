package io.virtwise.kvm.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

import io.virtwise.facts.CpuSets;
import io.virtwise.facts.KvmNodeFacts;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code virsh capabilities} into {@link KvmNodeFacts}: NUMA cells, pages, cache banks, domain types. */
public final class CapabilitiesParser {

	private CapabilitiesParser() {
	}

	public static KvmNodeFacts parse(String xml) {
		Document doc = DomainXml.parse(xml);
		if (!"capabilities".equals(doc.getDocumentElement().getTagName())) {
			throw new IllegalArgumentException(
					"not libvirt capabilities XML (root element <" + doc.getDocumentElement().getTagName() + ">)");
		}
		XPath xpath = XPathFactory.newInstance().newXPath();
		try {
			Element cpu = (Element) xpath.evaluate("/capabilities/host/cpu", doc, XPathConstants.NODE);
			String model = cpu == null ? null : text(xpath, "model", cpu);
			String vendor = cpu == null ? null : text(xpath, "vendor", cpu);
			Element topology = cpu == null ? null : (Element) xpath.evaluate("topology", cpu, XPathConstants.NODE);
			List<Long> pageSizes = new ArrayList<>();
			if (cpu != null) {
				for (Element pages : elements(xpath, "pages", cpu)) {
					Long size = DomainXmlParser.toKb(pages.getAttribute("size"), pages.getAttribute("unit"));
					if (size != null) {
						pageSizes.add(size);
					}
				}
			}
			List<KvmNodeFacts.Cell> cells = new ArrayList<>();
			int cpuCount = 0;
			for (Element cell : elements(xpath, "/capabilities/host/topology/cells/cell", doc)) {
				Element memory = (Element) xpath.evaluate("memory", cell, XPathConstants.NODE);
				List<KvmNodeFacts.Pages> pages = new ArrayList<>();
				for (Element p : elements(xpath, "pages", cell)) {
					Long size = DomainXmlParser.toKb(p.getAttribute("size"), p.getAttribute("unit"));
					if (size != null) {
						pages.add(new KvmNodeFacts.Pages(size, DomainXmlParser.longOrNull(p.getTextContent()), null));
					}
				}
				List<Integer> cpus = new ArrayList<>();
				// Sibling groups keyed by the siblings attribute, so each core appears once.
				Map<String, List<Integer>> cores = new LinkedHashMap<>();
				for (Element c : elements(xpath, "cpus/cpu", cell)) {
					Integer id = DomainXmlParser.integer(c.getAttribute("id"));
					if (id == null) {
						continue;
					}
					cpus.add(id);
					String siblings = c.getAttribute("siblings");
					SortedSet<Integer> group = siblings.isEmpty() ? null : CpuSets.parse(List.of(siblings));
					cores.computeIfAbsent(group == null ? String.valueOf(id) : CpuSets.format(group),
							k -> group == null ? List.of(id) : List.copyOf(group));
				}
				cpuCount += cpus.size();
				cells.add(new KvmNodeFacts.Cell(DomainXmlParser.integer(cell.getAttribute("id")),
						memory == null ? null : DomainXmlParser.toKb(memory.getTextContent(), memory.getAttribute("unit")),
						pages, cpus, new ArrayList<>(new LinkedHashSet<>(cores.values()))));
			}
			List<KvmNodeFacts.CacheBank> banks = new ArrayList<>();
			for (Element bank : elements(xpath, "/capabilities/host/cache/bank", doc)) {
				SortedSet<Integer> cpus = CpuSets.parse(List.of(bank.getAttribute("cpus")));
				banks.add(new KvmNodeFacts.CacheBank(orZero(bank.getAttribute("id")), orZero(bank.getAttribute("level")),
						bank.getAttribute("type"), DomainXmlParser.toKb(bank.getAttribute("size"), bank.getAttribute("unit")),
						cpus == null ? null : List.copyOf(cpus)));
			}
			LinkedHashSet<String> domainTypes = new LinkedHashSet<>();
			LinkedHashSet<String> kvmArchs = new LinkedHashSet<>();
			for (Element type : elements(xpath, "/capabilities/guest/arch/domain", doc)) {
				domainTypes.add(type.getAttribute("type"));
				if ("kvm".equals(type.getAttribute("type")) && type.getParentNode() instanceof Element arch) {
					kvmArchs.add(arch.getAttribute("name"));
				}
			}
			return new KvmNodeFacts(null, null, model, vendor,
					topology == null ? null : DomainXmlParser.integer(topology.getAttribute("sockets")),
					topology == null ? null : DomainXmlParser.integer(topology.getAttribute("dies")),
					topology == null ? null : DomainXmlParser.integer(topology.getAttribute("cores")),
					topology == null ? null : DomainXmlParser.integer(topology.getAttribute("threads")),
					cells.isEmpty() ? null : cpuCount,
					cells.isEmpty() ? null : cells.stream().mapToLong(c -> c.memoryKb() == null ? 0 : c.memoryKb()).sum(),
					pageSizes, cells, banks, List.copyOf(domainTypes), List.copyOf(kvmArchs));
		}
		catch (XPathExpressionException e) {
			throw new IllegalStateException(e);
		}
	}

	private static int orZero(String s) {
		Integer i = DomainXmlParser.integer(s);
		return i == null ? 0 : i;
	}

	private static String text(XPath xpath, String expression, Object context) throws XPathExpressionException {
		String s = xpath.evaluate(expression, context).strip();
		return s.isEmpty() ? null : s;
	}

	private static List<Element> elements(XPath xpath, String expression, Object context) throws XPathExpressionException {
		NodeList nodes = (NodeList) xpath.evaluate(expression, context, XPathConstants.NODESET);
		List<Element> out = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			out.add((Element) nodes.item(i));
		}
		return out;
	}
}
