package io.virtwise.advice;

import io.virtwise.facts.CpuSets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.virtwise.docker.runline.DockerRunLine;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.KvmNodeFacts;
import io.virtwise.facts.MountInfo;
import io.virtwise.kvm.xml.DomainXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What makes a printed fix safe to apply as printed, checked over every recommendation of one host:
 * a re-create keeps every mount and never force-removes, an XML fix removes only what it is for,
 * no CPU is given to two things as if each had it alone, huge page counts do not contradict each
 * other, a change prints its way back, and nothing redacted is printed as if it were a value.
 * Each check returns its violations, one line each (empty: safe), so a test can name them all.
 */
public final class FixSafety {

	/** Ids whose fixes re-pin vCPUs, emulator and iothreads (the host-wide plan). */
	static final Set<String> PINNING_IDS = Set.of("KVM-VCPU-UNPINNED", "KVM-PIN-OVERLAP", "KVM-PIN-NO-ROOM");

	// the pins and memory placement a re-pinning fix replaces
	private static final String REPIN = "/domain/(cputune/(vcpupin|emulatorpin|iothreadpin)|numatune/(memory|memnode))(\\[[^\\]]*\\])?(#\\d+)?";

	/**
	 * What each fix may remove from the domain XML, by the removed element's path (see {@link #xmlKept}).
	 * Written from what each fix is for; an id not listed may remove nothing.
	 */
	static final Map<String, List<Pattern>> REMOVALS_ALLOWED = Map.ofEntries(
			// host-passthrough takes the host's model and vendor; features, numa cells and maxphysaddr stay
			Map.entry("KVM-CPU-PASSTHROUGH", patterns("/domain/cpu/model", "/domain/cpu/vendor")),
			// a cache passed through to a guest that does not mirror the host becomes the emulated L3 libvirt advises
			Map.entry("KVM-CPU-TOPOLOGY", patterns("/domain/cpu/cache(\\[[^\\]]*\\])?")),
			// the disk moved to another bus (marked "moved") gets a new address from libvirt; other disks keep theirs
			// the raw file holds the whole backing chain: libvirt refuses a raw disk that still names a backing store
			Map.entry("KVM-DISK-QCOW2", patterns("/domain/devices/disk\\[[^\\]]*\\]/backingStore")),
			Map.entry("KVM-DISK-BUS", patterns("/domain/devices/disk\\[[^\\]]*\\]\\{moved\\}/address")),
			// virtio-scsi sits where lsilogic was or gets a new PCI address
			Map.entry("KVM-SCSI-CONTROLLER", patterns("/domain/devices/controller\\[[^\\]]*\\]/address")),
			// a virtio NIC may take a new PCI slot; an emulated NIC's option ROM does not apply to it
			Map.entry("KVM-NIC-MODEL", patterns("/domain/devices/interface\\[[^\\]]*\\]/(address|rom)")),
			// a user-mode NIC moved to a bridge or network loses what only user mode has
			Map.entry("KVM-NIC-USERMODE", patterns("/domain/devices/interface\\[[^\\]]*\\]/(backend|portForward|ip|source|address)")),
			// re-pinning replaces the old pins and memory placement
			Map.entry("KVM-VCPU-UNPINNED", patterns(REPIN)),
			Map.entry("KVM-PIN-OVERLAP", patterns(REPIN)),
			Map.entry("KVM-PIN-NO-ROOM", patterns(REPIN)),
			// a guest that cannot start for want of pages may be offered its small-page backing back
			Map.entry("KVM-HUGEPAGES-SHORT", patterns("/domain/memoryBacking", "/domain/memoryBacking/hugepages",
					"/domain/memoryBacking/hugepages/page\\[[^\\]]*\\]")));

	private static final Pattern DOCKER_RUN = Pattern.compile("\\bdocker\\s+(container\\s+)?run\\s");
	private static final Pattern FORCE_RM = Pattern.compile("\\bdocker\\s+(container\\s+)?rm\\s+([^#&|;]*\\s)?(-[a-zA-Z]*f[a-zA-Z]*|--force)\\b([^#&|;]*)");
	private static final String REDACTED = "<redacted>";

	private FixSafety() {
	}

	/** Every check over one host's facts and the advice on them. */
	public static List<String> check(Facts facts, List<Recommendation> advice) {
		List<String> violations = new ArrayList<>();
		for (Recommendation r : advice) {
			violations.addAll(noRedactedValue(r));
			violations.addAll(rollbackPrinted(r));
			containerOf(facts, r).ifPresent(c -> {
				violations.addAll(mountsKept(c, r));
				violations.addAll(noForceRemove(c, r));
			});
			guestOf(facts, r).ifPresent(g -> violations.addAll(xmlKept(g, r)));
		}
		violations.addAll(pinsDisjoint(facts, advice));
		violations.addAll(hugePageCountsAgree(advice));
		violations.addAll(boundMemoryFits(facts, advice));
		violations.addAll(pagesCoverBoundGuests(facts, advice));
		violations.addAll(memnodesAgree(facts, advice));
		violations.addAll(newDiskNamesDistinct(facts, advice));
		return violations;
	}

	/** A guest's XML once every fix printed for it is applied: the one that changes its placement wins, else the last edit. */
	static String finalXml(GuestFacts g, List<Recommendation> advice) {
		String xml = g.domainXml();
		for (Recommendation r : advice) {
			if (g.name().equals(r.subject()) && r.newDomainXml() != null && PINNING_IDS.contains(r.id())) {
				xml = r.newDomainXml();
			}
		}
		return xml;
	}

	/** Memory held to one node by strict or restrictive numatune (per memnode for a guest's cells). */
	static Map<Integer, Long> boundMemory(String xml) {
		Map<Integer, Long> out = new TreeMap<>();
		Element domain = DomainXml.parse(xml).getDocumentElement();
		Element numatune = DomainXml.child(domain, "numatune");
		if (numatune == null) {
			return out;
		}
		GuestFacts g = io.virtwise.kvm.xml.DomainXmlParser.parse(xml);
		Map<Integer, String> memnodes = g.details().memnodes();
		Element memory = DomainXml.child(numatune, "memory");
		boolean bindingCells = !memnodes.isEmpty() && g.numaCells() != null && !g.numaCells().isEmpty();
		if (bindingCells) {
			for (io.virtwise.facts.GuestCell cell : g.numaCells()) {
				Element memnode = DomainXml.children(numatune, "memnode").stream()
					.filter(e -> String.valueOf(cell.id()).equals(e.getAttribute("cellid"))).findFirst().orElse(null);
				SortedSet<Integer> nodes = memnode == null ? null : cpuset(memnode.getAttribute("nodeset"));
				String mode = memnode == null ? "" : memnode.getAttribute("mode");
				if (nodes != null && nodes.size() == 1 && List.of("strict", "restrictive", "").contains(mode) && cell.memoryKb() != null) {
					out.merge(nodes.first(), cell.memoryKb(), Long::sum);
				}
			}
			return out;
		}
		if (memory != null && memory.hasAttribute("nodeset") && !"preferred".equals(memory.getAttribute("mode"))
				&& !"interleave".equals(memory.getAttribute("mode")) && g.memoryKb() != null) {
			SortedSet<Integer> nodes = cpuset(memory.getAttribute("nodeset"));
			if (nodes.size() == 1) {
				out.merge(nodes.first(), g.memoryKb(), Long::sum);
			}
		}
		return out;
	}

	/** No node is given more guest memory by strict or restrictive policies (after every fix) than it has, where a fix set them. */
	public static List<String> boundMemoryFits(Facts facts, List<Recommendation> advice) {
		List<String> violations = new ArrayList<>();
		if (facts.kvmNode() == null || facts.kvmNode().cells() == null) {
			return violations;
		}
		Map<Integer, Long> bound = new TreeMap<>();
		Map<Integer, List<String>> who = new TreeMap<>();
		boolean anyFixed = false;
		for (GuestFacts g : facts.guests()) {
			if (g.domainXml() == null) {
				continue;
			}
			String xml = finalXml(g, advice);
			anyFixed |= !xml.equals(g.domainXml());
			boundMemory(xml).forEach((node, kb) -> {
				bound.merge(node, kb, Long::sum);
				who.computeIfAbsent(node, k -> new ArrayList<>()).add(g.name());
			});
		}
		if (!anyFixed) {
			return violations;
		}
		for (KvmNodeFacts.Cell cell : facts.kvmNode().cells()) {
			Long kb = bound.get(cell.id());
			if (kb != null && cell.memoryKb() != null && kb > cell.memoryKb()) {
				violations.add("node " + cell.id() + " is given " + kb + " KiB of guest memory (" + who.get(cell.id()) + ") by strict or "
						+ "restrictive policies, more than its " + cell.memoryKb() + " KiB");
			}
		}
		return violations;
	}

	/**
	 * Every guest backed by huge pages (after every fix) and held to one node finds its pages there: the host's
	 * reservation after HOST-HUGEPAGES-PLAN (else as it is) holds, per node and page size, what all of them need.
	 */
	public static List<String> pagesCoverBoundGuests(Facts facts, List<Recommendation> advice) {
		List<String> violations = new ArrayList<>();
		if (facts.kvmNode() == null || facts.kvmNode().cells() == null) {
			return violations;
		}
		Map<String, Long> reserved = new TreeMap<>();
		for (KvmNodeFacts.Cell cell : facts.kvmNode().cells()) {
			if (cell.pages() != null) {
				cell.pages().forEach(pg -> reserved.put("node" + cell.id() + " " + pg.sizeKb() + "kB", pg.total() == null ? 0 : pg.total()));
			}
		}
		for (Recommendation r : advice) {
			for (String line : r.fix()) {
				String code = line.trim().startsWith("#") ? "" : stripComment(line);
				reserved.putAll(hugePageWrites(code));
			}
		}
		Map<String, Long> needed = new TreeMap<>();
		Map<String, List<String>> who = new TreeMap<>();
		for (GuestFacts g : facts.guests()) {
			if (g.domainXml() == null) {
				continue;
			}
			String xml = g.domainXml();
			for (Recommendation r : advice) {
				if (g.name().equals(r.subject()) && r.newDomainXml() != null
						&& (PINNING_IDS.contains(r.id()) || r.id().equals("KVM-HUGEPAGES-GUEST"))) {
					xml = r.id().equals("KVM-HUGEPAGES-GUEST") ? withBacking(xml, r.newDomainXml()) : r.newDomainXml();
				}
			}
			GuestFacts fin = io.virtwise.kvm.xml.DomainXmlParser.parse(xml);
			if (!Boolean.TRUE.equals(fin.hugepageBacked())) {
				continue;
			}
			long defaultSize = fin.hugepageSizeKb() == null ? 2048 : fin.hugepageSizeKb();
			Map<Integer, Long> bound = boundMemory(xml);
			Map<Integer, String> memnodes = fin.details().memnodes();
			if (!memnodes.isEmpty() && fin.numaCells() != null) {
				for (io.virtwise.facts.GuestCell cell : fin.numaCells()) {
					SortedSet<Integer> nodes = memnodes.get(cell.id()) == null ? null : cpuset(memnodes.get(cell.id()));
					if (nodes != null && nodes.size() == 1 && cell.memoryKb() != null) {
						long size = fin.details().pageSizeByCell().getOrDefault(cell.id(), defaultSize);
						String key = "node" + nodes.first() + " " + size + "kB";
						needed.merge(key, (cell.memoryKb() + size - 1) / size, Long::sum);
						who.computeIfAbsent(key, k -> new ArrayList<>()).add(g.name());
					}
				}
			}
			else if (bound.size() == 1) {
				Map.Entry<Integer, Long> e = bound.entrySet().iterator().next();
				String key = "node" + e.getKey() + " " + defaultSize + "kB";
				needed.merge(key, (e.getValue() + defaultSize - 1) / defaultSize, Long::sum);
				who.computeIfAbsent(key, k -> new ArrayList<>()).add(g.name());
			}
		}
		needed.forEach((key, pages) -> {
			long have = reserved.getOrDefault(key, 0L);
			if (pages > have) {
				violations.add(key + " pages: " + who.get(key) + " need " + pages + " there, and the host reserves " + have
						+ " after every printed fix");
			}
		});
		return violations;
	}

	/** The guest's XML with the memoryBacking of a huge page fix: applied on top of its placement fix, as a user would. */
	private static String withBacking(String xml, String backedXml) {
		return xml.contains("<hugepages") || !backedXml.contains("<hugepages") ? xml
				: backedXml.equals(xml) ? xml : io.virtwise.kvm.xml.DomainXml.write(mergeBacking(xml, backedXml));
	}

	private static org.w3c.dom.Document mergeBacking(String xml, String backedXml) {
		org.w3c.dom.Document doc = DomainXml.parse(xml);
		Element backing = DomainXml.child(DomainXml.parse(backedXml).getDocumentElement(), "memoryBacking");
		Element domain = doc.getDocumentElement();
		Element old = DomainXml.child(domain, "memoryBacking");
		if (old != null) {
			domain.removeChild(old);
		}
		domain.appendChild(doc.importNode(backing, true));
		return doc;
	}

	/** Every memnode of a guest (after its placement fix) lies within its numatune memory nodeset. */
	public static List<String> memnodesAgree(Facts facts, List<Recommendation> advice) {
		List<String> violations = new ArrayList<>();
		for (Recommendation r : advice) {
			if (r.newDomainXml() == null || !PINNING_IDS.contains(r.id())) {
				continue;
			}
			Element numatune = DomainXml.child(DomainXml.parse(r.newDomainXml()).getDocumentElement(), "numatune");
			Element memory = numatune == null ? null : DomainXml.child(numatune, "memory");
			if (memory == null || !memory.hasAttribute("nodeset")) {
				continue;
			}
			SortedSet<Integer> all = cpuset(memory.getAttribute("nodeset"));
			for (Element memnode : DomainXml.children(numatune, "memnode")) {
				if (!all.containsAll(cpuset(memnode.getAttribute("nodeset")))) {
					violations.add(describe(r) + " keeps memnode cell " + memnode.getAttribute("cellid") + " on node "
							+ memnode.getAttribute("nodeset") + ", outside the memory nodeset " + memory.getAttribute("nodeset"));
				}
			}
		}
		return violations;
	}

	/** Fixes that move disks of one guest to new names never give two disks the same name, nor one a disk has. */
	public static List<String> newDiskNamesDistinct(Facts facts, List<Recommendation> advice) {
		List<String> violations = new ArrayList<>();
		for (GuestFacts g : facts.guests()) {
			if (g.disks() == null) {
				continue;
			}
			Set<String> names = new TreeSet<>();
			g.disks().stream().filter(d -> d.target() != null).forEach(d -> names.add(d.target()));
			for (Recommendation r : advice) {
				if (!g.name().equals(r.subject()) || r.newDomainXml() == null) {
					continue;
				}
				for (io.virtwise.facts.GuestDisk d : io.virtwise.kvm.xml.DomainXmlParser.parse(r.newDomainXml()).disks()) {
					if (d.target() != null && g.disks().stream().noneMatch(o -> d.target().equals(o.target())) && !names.add(d.target())) {
						violations.add(describe(r) + " names a disk " + d.target() + ", which another fix for " + g.name() + " also uses");
					}
				}
			}
		}
		return violations;
	}

	// ---- Docker re-creates --------------------------------------------------------------------

	/**
	 * Every {@code docker run} line naming the container carries each of its mounts: the same volume
	 * (an anonymous one by its existing name) or bind source at the same destination, the same
	 * read-only flag, and its tmpfs mounts.
	 */
	public static List<String> mountsKept(ContainerFacts container, Recommendation r) {
		List<String> violations = new ArrayList<>();
		if (container.mounts() == null) {
			return violations;
		}
		for (String line : lines(r)) {
			DockerRunLine run = runLine(line);
			if (run == null || !container.name().equals(value(run, "--name"))) {
				continue;
			}
			List<Mount> carried = mounts(run);
			for (MountInfo m : container.mounts()) {
				Optional<Mount> same = carried.stream().filter(c -> c.destination().equals(m.destination())).findFirst();
				String what = describe(r) + " re-creates " + container.name() + " ";
				if (same.isEmpty()) {
					violations.add(what + "without its " + m.type() + " mount at " + m.destination() + ": " + line);
					continue;
				}
				Mount c = same.get();
				if ("volume".equals(m.type()) && !Objects.equals(m.name(), c.source())) {
					violations.add(what + "with volume " + c.source() + " at " + m.destination() + " instead of " + m.name() + ": " + line);
				}
				else if ("bind".equals(m.type()) && !Objects.equals(m.source(), c.source())) {
					violations.add(what + "with bind source " + c.source() + " at " + m.destination() + " instead of " + m.source() + ": " + line);
				}
				else if ("tmpfs".equals(m.type()) && !"tmpfs".equals(c.type())) {
					violations.add(what + "with a " + c.type() + " at " + m.destination() + " instead of its tmpfs: " + line);
				}
				if (!"tmpfs".equals(m.type()) && Boolean.TRUE.equals(m.readOnly()) != c.readOnly()) {
					violations.add(what + "with " + m.destination() + (c.readOnly() ? " read-only" : " writable") + ", the container has it "
							+ (Boolean.TRUE.equals(m.readOnly()) ? "read-only" : "writable") + ": " + line);
				}
			}
		}
		return violations;
	}

	/** No fix force-removes the container: the old one is renamed and stopped, so it can come back. */
	public static List<String> noForceRemove(ContainerFacts container, Recommendation r) {
		List<String> violations = new ArrayList<>();
		for (String line : r.fix()) {
			Matcher m = FORCE_RM.matcher(line);
			while (m.find()) {
				String rest = (m.group(2) == null ? "" : m.group(2)) + " " + m.group(4);
				if (List.of(rest.trim().split("\\s+")).contains(container.name())) {
					violations.add(describe(r) + " force-removes " + container.name() + ": " + line);
				}
			}
		}
		return violations;
	}

	/** A mount as a run line gives it: its type, source (volume name or host path), destination and read-only flag. */
	record Mount(String type, String source, String destination, boolean readOnly) {
	}

	static List<Mount> mounts(DockerRunLine run) {
		List<Mount> mounts = new ArrayList<>();
		for (DockerRunLine.Option o : run.options()) {
			if (o.value() == null) {
				continue;
			}
			switch (o.flag()) {
				case "-v", "--volume" -> {
					String[] parts = o.value().split(":");
					if (parts.length == 1) {
						mounts.add(new Mount("volume", null, parts[0], false));
					}
					else {
						boolean ro = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
						mounts.add(new Mount(parts[0].startsWith("/") ? "bind" : "volume", parts[0], parts[1], ro));
					}
				}
				case "--tmpfs" -> mounts.add(new Mount("tmpfs", null, o.value().split(":")[0], false));
				case "--mount" -> {
					Map<String, String> fields = new LinkedHashMap<>();
					for (String part : o.value().split(",")) {
						int eq = part.indexOf('=');
						fields.put(eq < 0 ? part : part.substring(0, eq), eq < 0 ? "true" : part.substring(eq + 1));
					}
					String target = first(fields, "target", "destination", "dst");
					boolean ro = "true".equals(first(fields, "readonly", "ro")) || "1".equals(first(fields, "readonly", "ro"));
					mounts.add(new Mount(fields.getOrDefault("type", "volume"), first(fields, "source", "src"), target, ro));
				}
				default -> {
				}
			}
		}
		return mounts;
	}

	/** The docker run command in a fix line (from "docker run" to the end of that command), or null. */
	static DockerRunLine runLine(String line) {
		Matcher m = DOCKER_RUN.matcher(line);
		if (!m.find() || line.trim().startsWith("#")) {
			return null;
		}
		String command = commandAt(line, m.start());
		try {
			return DockerRunLine.parse(command);
		}
		catch (IllegalArgumentException e) {
			return null;
		}
	}

	/** The shell command starting at {@code start}: up to an unquoted {@code &&}, {@code ||}, {@code ;} or {@code |}. */
	static String commandAt(String line, int start) {
		char quote = 0;
		for (int i = start; i < line.length(); i++) {
			char ch = line.charAt(i);
			if (quote != 0) {
				if (ch == quote) {
					quote = 0;
				}
				else if (ch == '\\' && quote == '"') {
					i++;
				}
			}
			else if (ch == '\'' || ch == '"') {
				quote = ch;
			}
			else if (ch == '\\') {
				i++;
			}
			else if (ch == ';' || ch == '|' || ch == '&' && i + 1 < line.length() && line.charAt(i + 1) == '&') {
				return line.substring(start, i).trim();
			}
		}
		return line.substring(start).trim();
	}

	private static String value(DockerRunLine run, String flag) {
		List<String> values = run.values(flag);
		return values.isEmpty() ? null : values.get(values.size() - 1);
	}

	// ---- KVM domain XML ---------------------------------------------------------------------

	/**
	 * The fixed XML keeps every element of the guest's XML except those {@link #REMOVALS_ALLOWED} for the
	 * fix's id; every {@code <memnode cellid>} names a {@code <cell>}; {@code migratable} keeps its value.
	 */
	public static List<String> xmlKept(GuestFacts guest, Recommendation r) {
		List<String> violations = new ArrayList<>();
		if (r.newDomainXml() == null || guest.domainXml() == null) {
			return violations;
		}
		Document before = DomainXml.parse(guest.domainXml());
		Document after;
		try {
			after = DomainXml.parse(r.newDomainXml());
		}
		catch (IllegalArgumentException e) {
			return List.of(describe(r) + " has a new domain XML that does not parse: " + e.getMessage());
		}
		List<Pattern> allowed = REMOVALS_ALLOWED.getOrDefault(r.id(), List.of());
		for (String removed : removed(before.getDocumentElement(), after.getDocumentElement(), "/domain")) {
			if (allowed.stream().noneMatch(p -> p.matcher(removed).matches())) {
				violations.add(describe(r) + " drops " + removed + " from " + guest.name() + "'s XML");
			}
		}
		Element cpuBefore = DomainXml.child(before.getDocumentElement(), "cpu");
		Element cpuAfter = DomainXml.child(after.getDocumentElement(), "cpu");
		if (cpuBefore != null && cpuBefore.hasAttribute("migratable")
				&& (cpuAfter == null || !cpuBefore.getAttribute("migratable").equals(cpuAfter.getAttribute("migratable")))) {
			violations.add(describe(r) + " changes " + guest.name() + "'s cpu migratable='" + cpuBefore.getAttribute("migratable")
					+ "' to '" + (cpuAfter == null ? "" : cpuAfter.getAttribute("migratable")) + "'");
		}
		Set<String> cells = new HashSet<>();
		if (cpuAfter != null && DomainXml.child(cpuAfter, "numa") != null) {
			DomainXml.children(DomainXml.child(cpuAfter, "numa"), "cell").forEach(c -> cells.add(c.getAttribute("id")));
		}
		Element numatune = DomainXml.child(after.getDocumentElement(), "numatune");
		if (numatune != null) {
			for (Element memnode : DomainXml.children(numatune, "memnode")) {
				if (!cells.contains(memnode.getAttribute("cellid"))) {
					violations.add(describe(r) + " leaves <memnode cellid='" + memnode.getAttribute("cellid") + "'> in " + guest.name()
							+ "'s XML with no such <cell>");
				}
			}
		}
		return violations;
	}

	/**
	 * Paths of the elements under {@code before} that have no partner under {@code after}. A child's
	 * partner has the same tag and identity ({@link #identities}); partners are compared in turn.
	 */
	static List<String> removed(Element before, Element after, String path) {
		List<String> removed = new ArrayList<>();
		List<Element> candidates = elements(after);
		Set<Element> used = new HashSet<>();
		Map<String, Integer> ordinal = new TreeMap<>();
		for (Element child : elements(before)) {
			List<String> ids = identities(child);
			String label = name(child) + (ids.isEmpty() ? "" : "[" + ids.get(0) + "]");
			int n = ordinal.merge(label, 1, Integer::sum);
			String childPath = path + "/" + label + (n > 1 ? "#" + n : "");
			Element partner = null;
			// the most telling identity first: a disk found by its source before one found by its target
			for (int k = 0; k < Math.max(1, ids.size()) && partner == null; k++) {
				for (Element c : candidates) {
					if (!used.contains(c) && name(c).equals(name(child))) {
						List<String> theirs = identities(c);
						boolean same = ids.isEmpty() ? theirs.isEmpty() : theirs.contains(ids.get(k));
						if (same) {
							partner = c;
							break;
						}
					}
				}
			}
			if (partner == null) {
				removed.add(childPath);
			}
			else {
				used.add(partner);
				// a disk whose bus the fix changed is marked, so only its own address may go
				if (name(child).equals("disk") && !bus(child).equals(bus(partner))) {
					childPath += "{moved}";
				}
				removed.addAll(removed(child, partner, childPath));
			}
		}
		return removed;
	}

	/**
	 * What tells one element from its siblings of the same tag, most telling first: a disk by its
	 * source, then its target (a bus change renames the target, a format change the source); a NIC by
	 * its MAC; a NUMA cell, memnode, pin or feature by the attribute that names it.
	 */
	static List<String> identities(Element e) {
		String tag = name(e);
		List<String> ids = new ArrayList<>();
		switch (tag) {
			case "disk" -> {
				Element source = DomainXml.child(e, "source");
				if (source != null) {
					for (String a : List.of("file", "dev", "name", "volume", "dir")) {
						if (source.hasAttribute(a)) {
							ids.add(e.getAttribute("device") + ":" + source.getAttribute(a));
						}
					}
				}
				Element target = DomainXml.child(e, "target");
				if (target != null) {
					ids.add("target " + target.getAttribute("dev"));
				}
			}
			case "interface" -> {
				Element mac = DomainXml.child(e, "mac");
				if (mac != null) {
					ids.add(mac.getAttribute("address"));
				}
			}
			case "controller" -> ids.add(e.getAttribute("type") + " " + e.getAttribute("index"));
			case "cell" -> ids.add(e.getAttribute("id"));
			case "memnode" -> ids.add(e.getAttribute("cellid"));
			case "vcpupin" -> ids.add(e.getAttribute("vcpu"));
			case "iothreadpin" -> ids.add(e.getAttribute("iothread"));
			case "page" -> ids.add(e.getAttribute("size") + " " + e.getAttribute("nodeset"));
			case "timer", "feature", "entry", "event" -> ids.add(e.getAttribute("name"));
			case "host" -> ids.add(e.getAttribute("name") + ":" + e.getAttribute("port"));
			case "channel" -> {
				Element target = DomainXml.child(e, "target");
				if (target != null) {
					ids.add(target.getAttribute("name"));
				}
			}
			case "bank", "cache" -> ids.add(e.getAttribute("level") + " " + e.getAttribute("id"));
			default -> {
			}
		}
		ids.removeIf(String::isEmpty);
		return ids;
	}

	private static String bus(Element disk) {
		Element target = DomainXml.child(disk, "target");
		return target == null ? "" : target.getAttribute("bus");
	}

	private static List<Element> elements(Element parent) {
		List<Element> out = new ArrayList<>();
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
			if (n instanceof Element e) {
				out.add(e);
			}
		}
		return out;
	}

	private static String name(Element e) {
		return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
	}

	// ---- CPU pins -----------------------------------------------------------------------------

	/** One guest's pins: each vCPU's CPU set (all host CPUs when floating), and its emulator and iothread sets. */
	record Pins(String guest, boolean fixed, Map<Integer, SortedSet<Integer>> vcpus, List<SortedSet<Integer>> housekeeping, Set<Integer> pinned) {
	}

	/**
	 * The host's final pin map (a guest's pinning fix where there is one, else its XML as it is) gives no
	 * CPU to one vCPU as its own while another vCPU, an emulator thread or an iothread may run there.
	 * Overlaps already in unfixed guests are allowed only where a KVM-PIN-OVERLAP finding names one of them.
	 */
	public static List<String> pinsDisjoint(Facts facts, List<Recommendation> advice) {
		List<String> violations = new ArrayList<>();
		SortedSet<Integer> all = hostCpus(facts.kvmNode());
		Set<String> namedOverlap = new HashSet<>();
		advice.stream().filter(r -> r.id().equals("KVM-PIN-OVERLAP")).forEach(r -> namedOverlap.add(r.subject()));
		List<Pins> host = new ArrayList<>();
		for (GuestFacts g : facts.guests()) {
			if (g.domainXml() == null) {
				continue;
			}
			String original = cputune(g.domainXml());
			Set<String> variants = new TreeSet<>();
			String chosen = null;
			for (Recommendation r : advice) {
				if (g.name().equals(r.subject()) && r.newDomainXml() != null && !cputune(r.newDomainXml()).equals(original)) {
					variants.add(cputune(r.newDomainXml()));
					chosen = r.newDomainXml();
				}
			}
			if (variants.size() > 1) {
				violations.add("fixes for " + g.name() + " pin it in " + variants.size() + " different ways; one host-wide plan gives one");
			}
			host.add(pins(g.name(), chosen != null, chosen != null ? chosen : g.domainXml(), all));
		}
		Map<Integer, List<String>> dedicated = new TreeMap<>();
		for (Pins p : host) {
			p.vcpus().forEach((vcpu, set) -> {
				// a vCPU holds a CPU as its own only by a vcpupin to that one CPU; floating over a one-CPU host is not holding it
				if (set.size() == 1 && p.pinned().contains(vcpu)) {
					dedicated.computeIfAbsent(set.first(), k -> new ArrayList<>()).add(p.guest() + " vCPU " + vcpu);
				}
			});
		}
		for (Map.Entry<Integer, List<String>> d : dedicated.entrySet()) {
			int cpu = d.getKey();
			String owner = d.getValue().get(0);
			String ownerGuest = owner.substring(0, owner.lastIndexOf(" vCPU "));
			for (Pins p : host) {
				List<String> sharing = new ArrayList<>();
				p.vcpus().forEach((vcpu, set) -> {
					String who = p.guest() + " vCPU " + vcpu;
					if (!who.equals(owner) && set.contains(cpu)) {
						sharing.add(who);
					}
				});
				for (SortedSet<Integer> h : p.housekeeping()) {
					if (h.contains(cpu)) {
						sharing.add(p.guest() + " emulator/iothread");
					}
				}
				for (String who : sharing) {
					boolean bothUnfixed = !p.fixed() && host.stream().noneMatch(q -> q.guest().equals(ownerGuest) && q.fixed());
					boolean named = namedOverlap.contains(p.guest()) || namedOverlap.contains(ownerGuest);
					if (!(bothUnfixed && named)) {
						violations.add("host CPU " + cpu + " is " + owner + "'s alone, yet " + who + " may run there"
								+ (bothUnfixed ? " (already so, and no KVM-PIN-OVERLAP names it)" : " (as planned by the fixes)"));
					}
				}
			}
		}
		return violations;
	}

	static Pins pins(String guest, boolean fixed, String xml, SortedSet<Integer> hostCpus) {
		Element domain = DomainXml.parse(xml).getDocumentElement();
		Element vcpu = DomainXml.child(domain, "vcpu");
		int count = vcpu == null ? 1 : Integer.parseInt(vcpu.getTextContent().trim());
		SortedSet<Integer> floating = vcpu != null && vcpu.hasAttribute("cpuset") ? cpuset(vcpu.getAttribute("cpuset")) : hostCpus;
		Map<Integer, SortedSet<Integer>> vcpus = new TreeMap<>();
		Set<Integer> pinned = new HashSet<>();
		List<SortedSet<Integer>> housekeeping = new ArrayList<>();
		Element cputune = DomainXml.child(domain, "cputune");
		if (cputune != null) {
			for (Element pin : DomainXml.children(cputune, "vcpupin")) {
				vcpus.put(Integer.parseInt(pin.getAttribute("vcpu")), cpuset(pin.getAttribute("cpuset")));
				pinned.add(Integer.parseInt(pin.getAttribute("vcpu")));
			}
			DomainXml.children(cputune, "emulatorpin").forEach(e -> housekeeping.add(cpuset(e.getAttribute("cpuset"))));
			DomainXml.children(cputune, "iothreadpin").forEach(e -> housekeeping.add(cpuset(e.getAttribute("cpuset"))));
		}
		for (int v = 0; v < count; v++) {
			vcpus.putIfAbsent(v, floating == null ? new TreeSet<>() : floating);
		}
		if (cputune == null || DomainXml.children(cputune, "emulatorpin").isEmpty()) {
			// an unpinned emulator runs where the vCPUs may: libvirt gives it the guest's vcpu cpuset, else every CPU
			if (floating != null) {
				housekeeping.add(floating);
			}
		}
		return new Pins(guest, fixed, vcpus, housekeeping, pinned);
	}

	/** libvirt's cpuset syntax: ranges, single CPUs and {@code ^N} exclusions, comma-separated. */
	static SortedSet<Integer> cpuset(String text) {
		SortedSet<Integer> cpus = new TreeSet<>();
		Set<Integer> excluded = new HashSet<>();
		for (String part : text.split(",")) {
			String p = part.trim();
			if (p.isEmpty()) {
				continue;
			}
			boolean exclude = p.startsWith("^");
			SortedSet<Integer> range = CpuSets.parse(List.of(exclude ? p.substring(1) : p));
			if (range == null) {
				throw new IllegalArgumentException("not a cpuset: " + text);
			}
			(exclude ? excluded : cpus).addAll(range);
		}
		cpus.removeAll(excluded);
		return cpus;
	}

	private static SortedSet<Integer> hostCpus(KvmNodeFacts node) {
		if (node == null || node.cells() == null) {
			return null;
		}
		SortedSet<Integer> cpus = new TreeSet<>();
		node.cells().forEach(c -> {
			if (c.cpus() != null) {
				cpus.addAll(c.cpus());
			}
		});
		return cpus.isEmpty() ? null : cpus;
	}

	/** The cputune and numatune of a domain, as text, to tell whether a fix changed the pins. */
	static String cputune(String xml) {
		Element domain = DomainXml.parse(xml).getDocumentElement();
		StringBuilder out = new StringBuilder();
		Element vcpu = DomainXml.child(domain, "vcpu");
		if (vcpu != null) {
			out.append("vcpu ").append(vcpu.getAttribute("cpuset")).append(';');
		}
		Element cputune = DomainXml.child(domain, "cputune");
		if (cputune != null) {
			for (Element e : elements(cputune)) {
				out.append(name(e)).append(' ').append(e.getAttribute("vcpu")).append(e.getAttribute("iothread")).append('=')
					.append(e.getAttribute("cpuset")).append(';');
			}
		}
		return out.toString();
	}

	// ---- Huge pages -----------------------------------------------------------------------------

	private static final Pattern ECHO_TO = Pattern.compile("\\becho\\s+(\\d+)\\s*(?:>|\\|\\s*(?:sudo\\s+)?tee(?:\\s+-a)?)\\s*(\\S+)");
	private static final Pattern SYSCTL = Pattern.compile("\\bvm\\.nr_hugepages\\s*=\\s*(\\d+)");
	private static final Pattern NODE_PATH = Pattern.compile("/sys/devices/system/node/node(\\d+)/hugepages/hugepages-(\\d+)kB/nr_hugepages");
	private static final Pattern GLOBAL_PATH = Pattern.compile("/sys/kernel/mm/hugepages/hugepages-(\\d+)kB/nr_hugepages");
	private static final Pattern CMDLINE = Pattern.compile("\\bhugepagesz=(\\d+)([KMG])\\s+hugepages=(\\d+)");

	/**
	 * Over all fix lines of one host: each huge page count (global, per size, per node) is written
	 * with one value only, and no page size is set both globally and per node. The default size
	 * ({@code /proc/sys/vm/nr_hugepages}, {@code vm.nr_hugepages}) is 2048 kB on x86-64.
	 */
	public static List<String> hugePageCountsAgree(List<Recommendation> advice) {
		Map<String, Set<Long>> values = new TreeMap<>();
		Map<String, Set<String>> writers = new TreeMap<>();
		for (Recommendation r : advice) {
			for (String line : r.fix()) {
				String code = line.trim().startsWith("#") ? "" : stripComment(line);
				for (Map.Entry<String, Long> w : hugePageWrites(code).entrySet()) {
					values.computeIfAbsent(w.getKey(), k -> new TreeSet<>()).add(w.getValue());
					writers.computeIfAbsent(w.getKey(), k -> new TreeSet<>()).add(describe(r));
				}
			}
		}
		List<String> violations = new ArrayList<>();
		values.forEach((target, counts) -> {
			if (counts.size() > 1) {
				violations.add(target + " is set to " + counts + " by " + writers.get(target));
			}
		});
		Set<String> sizesGlobal = new TreeSet<>();
		Set<String> sizesPerNode = new TreeSet<>();
		for (String target : values.keySet()) {
			String size = target.substring(target.lastIndexOf(' ') + 1);
			(target.startsWith("node") ? sizesPerNode : sizesGlobal).add(size);
		}
		for (String size : sizesGlobal) {
			if (sizesPerNode.contains(size)) {
				violations.add(size + " pages are reserved both host-wide and per node: the two counts fight over the same pool");
			}
		}
		return violations;
	}

	/** The counts one fix line writes: {@code global SIZE} or {@code nodeN SIZE} to the number of pages. */
	static Map<String, Long> hugePageWrites(String code) {
		Map<String, Long> writes = new LinkedHashMap<>();
		Matcher echo = ECHO_TO.matcher(code);
		while (echo.find()) {
			long n = Long.parseLong(echo.group(1));
			String path = echo.group(2);
			Matcher node = NODE_PATH.matcher(path);
			Matcher global = GLOBAL_PATH.matcher(path);
			if (node.find()) {
				writes.put("node" + node.group(1) + " " + node.group(2) + "kB", n);
			}
			else if (global.find()) {
				writes.put("global " + global.group(1) + "kB", n);
			}
			else if (path.contains("/proc/sys/vm/nr_hugepages")) {
				writes.put("global 2048kB", n);
			}
		}
		Matcher sysctl = SYSCTL.matcher(code);
		while (sysctl.find()) {
			writes.put("global 2048kB", Long.parseLong(sysctl.group(1)));
		}
		Matcher cmdline = CMDLINE.matcher(code);
		while (cmdline.find()) {
			long kb = Long.parseLong(cmdline.group(1)) * switch (cmdline.group(2)) {
				case "K" -> 1L;
				case "M" -> 1024L;
				default -> 1024L * 1024L;
			};
			writes.put("global " + kb + "kB", Long.parseLong(cmdline.group(3)));
		}
		return writes;
	}

	// ---- Every fix ------------------------------------------------------------------------------

	// Commands that only read: a fix made only of these changes nothing and needs no way back.
	private static final List<String> READ_ONLY = List.of("cat ", "ls ", "grep ", "docker stats", "docker inspect", "docker ps",
			"docker logs", "docker info", "docker volume ls", "docker volume inspect", "virsh dumpxml", "virsh list", "virsh dominfo",
			"virsh capabilities", "virsh nodeinfo", "virsh freepages", "virsh vcpuinfo", "virsh emulatorpin --", "numactl --hardware",
			"lscpu", "free ", "df ", "findmnt", "mountpoint -q /", "stat ", "xfs_info", "ethtool -l", "conntrack -C", "sysctl -n",
			"sysctl net.netfilter.nf_conntrack_count", "lsmod", "test ", "[ ", "docker diff ", "du ", "virsh net-info",
			// a probe creates and removes only its own containers and guests
			"virtwise probe ");

	/** A fix that changes something prints its rollback. */
	public static List<String> rollbackPrinted(Recommendation r) {
		boolean changes = r.newDomainXml() != null || r.fix().stream().anyMatch(FixSafety::changes);
		if (changes && r.rollback().stream().noneMatch(l -> !l.isBlank())) {
			return List.of(describe(r) + " changes something but prints no rollback");
		}
		return List.of();
	}

	static boolean changes(String line) {
		String code = stripComment(line).trim();
		if (code.isEmpty()) {
			return false;
		}
		for (String command : code.split("&&|\\|\\||;")) {
			String c = command.trim();
			// dd reading into /dev/null (an O_DIRECT check) writes nothing
			boolean readingDd = c.startsWith("dd ") && c.matches(".*\\bof=/dev/null\\b.*");
			if (!c.isEmpty() && !readingDd && READ_ONLY.stream().noneMatch(c::startsWith)) {
				return true;
			}
		}
		return false;
	}

	/** No line of a fix or its rollback carries a redacted placeholder where a value must go. */
	public static List<String> noRedactedValue(Recommendation r) {
		List<String> violations = new ArrayList<>();
		for (String line : lines(r)) {
			if (line.contains(REDACTED)) {
				violations.add(describe(r) + " prints " + REDACTED + " in: " + line);
			}
		}
		return violations;
	}

	// ---- helpers ----------------------------------------------------------------------------------

	private static List<String> lines(Recommendation r) {
		List<String> all = new ArrayList<>(r.fix());
		all.addAll(r.rollback());
		return all;
	}

	/** The line without a trailing shell comment (a # outside quotes, after a blank). */
	static String stripComment(String line) {
		char quote = 0;
		for (int i = 0; i < line.length(); i++) {
			char ch = line.charAt(i);
			if (quote != 0) {
				if (ch == quote) {
					quote = 0;
				}
			}
			else if (ch == '\'' || ch == '"') {
				quote = ch;
			}
			else if (ch == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
				return line.substring(0, i);
			}
		}
		return line;
	}

	private static Optional<ContainerFacts> containerOf(Facts facts, Recommendation r) {
		return facts.containers().stream().filter(c -> c.name() != null && c.name().equals(r.subject())).findFirst();
	}

	private static Optional<GuestFacts> guestOf(Facts facts, Recommendation r) {
		return facts.guests().stream().filter(g -> g.name() != null && g.name().equals(r.subject())).findFirst();
	}

	static String describe(Recommendation r) {
		return r.id() + "@" + r.subject();
	}

	private static String first(Map<String, String> fields, String... keys) {
		for (String k : keys) {
			if (fields.containsKey(k)) {
				return fields.get(k);
			}
		}
		return null;
	}

	private static List<Pattern> patterns(String... regexes) {
		return java.util.Arrays.stream(regexes).map(Pattern::compile).toList();
	}
}
