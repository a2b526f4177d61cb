package io.virtwise.advice.fix;

import io.virtwise.kvm.xml.DomainXml;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.virtwise.LabRequirement;
import io.virtwise.advice.Corpus;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.RuleTesting;
import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every KVM XML fix produced for the corpus, checked by libvirt itself: the lab's libvirtd defines it
 * with schema validation ({@code virsh define --validate}) under a throwaway vwcorp- name and a fresh
 * UUID, and must accept it. What belongs to the item's own host rather than to the fix (its emulator
 * path, a machine type this QEMU lacks, its UUID, cephx secrets that need a libvirt secret object, passwords) is
 * normalised the same way on the original and the fixed XML, and the normalised original must be
 * accepted first, so a refusal is the fix's fault. Nothing is started; every domain is undefined again.
 */
class CorpusXmlFixValidationIT {

	static final String PREFIX = "vwcorp-" + ProcessHandle.current().pid() + "-";
	static final Set<String> defined = new LinkedHashSet<>();
	static Document labCapabilities;
	static Path dir;

	@BeforeAll
	static void lab() throws Exception {
		Virsh version = virsh("version");
		LabRequirement.require(version.code() == 0, "libvirtd is unreachable at qemu:///system (scripts/lab-up kvm starts it): " + version.out());
		labCapabilities = DomainXml.parse(virsh("capabilities").out());
		dir = Files.createTempDirectory("vwcorp-xml");
	}

	@AfterAll
	static void undefineAll() throws Exception {
		for (String name : new ArrayList<>(defined)) {
			undefine(name);
		}
		// and anything of this run a failed define or a crash in between may have left
		for (String name : virsh("list", "--all", "--name").out().split("\n")) {
			if (name.strip().startsWith(PREFIX)) {
				undefine(name.strip());
			}
		}
		if (dir != null) {
			try (Stream<Path> files = Files.list(dir)) {
				for (Path f : files.toList()) {
					Files.deleteIfExists(f);
				}
			}
			Files.deleteIfExists(dir);
		}
	}

	@TestFactory
	Stream<DynamicNode> everyXmlFixOfTheCorpusIsAcceptedByLibvirt() {
		return Corpus.items().stream().map(item -> {
			List<DynamicNode> tests = new ArrayList<>();
			Facts facts;
			try {
				facts = Corpus.facts(item);
			}
			catch (Exception e) {
				throw new AssertionError(item + " does not import: " + e.getMessage(), e);
			}
			List<Recommendation> advice = RuleTesting.advise(facts);
			String refused = Corpus.expectations(item).refusedByThisLibvirt();
			if (refused != null) {
				// the item is about advice on XML this libvirt refuses by itself: check that it does, and validate nothing else
				for (GuestFacts g : facts.guests()) {
					tests.add(DynamicTest.dynamicTest(g.name() + " is refused here (" + refused + ")",
							() -> assertRefused(g.domainXml())));
				}
				return DynamicContainer.dynamicContainer(item.getFileName().toString(), tests);
			}
			for (GuestFacts g : facts.guests()) {
				tests.add(DynamicTest.dynamicTest(g.name() + " as it is", () -> assertAccepted(g.domainXml(), g.domainXml(), "the original")));
				int n = 0;
				for (Recommendation r : advice) {
					if (g.name().equals(r.subject()) && r.newDomainXml() != null) {
						n++;
						tests.add(DynamicTest.dynamicTest(r.id() + "@" + r.subject() + " #" + n,
								() -> {
									assertAccepted(g.domainXml(), g.domainXml(), "the original, normalised");
									assertAccepted(r.newDomainXml(), g.domainXml(), r.id() + "'s fix");
								}));
					}
				}
			}
			return DynamicContainer.dynamicContainer(item.getFileName().toString(), tests);
		});
	}

	/** Defines the normalised XML with --validate under a throwaway name, then undefines it; fails with libvirt's own words. */
	/** libvirt refuses the guest as it is, which is what the item's expectations say of it. */
	static void assertRefused(String xml) throws Exception {
		String name = PREFIX + UUID.randomUUID().toString().substring(0, 8);
		Path file = dir.resolve(name + ".xml");
		Files.writeString(file, normalised(xml, xml, name));
		defined.add(name);
		try {
			Virsh define = virsh("define", "--validate", file.toString());
			assertThat(define.code()).as("libvirt accepted what the item says it refuses:%n%s", Files.readString(file)).isNotZero();
		}
		finally {
			undefine(name);
			Files.deleteIfExists(file);
		}
	}

	static void assertAccepted(String xml, String original, String what) throws Exception {
		String name = PREFIX + UUID.randomUUID().toString().substring(0, 8);
		Path file = dir.resolve(name + ".xml");
		Files.writeString(file, normalised(xml, original, name));
		defined.add(name);
		try {
			Virsh define = virsh("define", "--validate", file.toString());
			assertThat(define.code()).as("libvirt refused %s: %s%n%s", what, define.out(), Files.readString(file)).isZero();
		}
		finally {
			undefine(name);
			Files.deleteIfExists(file);
		}
	}

	/**
	 * The XML with what belongs to the item's host replaced by the lab's, decided from the original so
	 * both get the same: name and UUID fresh, the lab's emulator for the arch, a machine type the lab's
	 * QEMU has, cephx {@code <auth>} (it names a secret object only that host has) and passwords left out.
	 */
	static String normalised(String xml, String original, String name) {
		Document doc = DomainXml.parse(xml);
		Element domain = doc.getDocumentElement();
		Element os = DomainXml.child(domain, "os");
		Element type = os == null ? null : DomainXml.child(os, "type");
		String arch = type != null && type.hasAttribute("arch") ? type.getAttribute("arch") : "x86_64";
		DomainXml.child(domain, "name").setTextContent(name);
		// a fresh UUID, also where SMBIOS repeats it (libvirt refuses a <sysinfo> uuid that differs)
		String fresh = UUID.randomUUID().toString();
		Element uuid = DomainXml.child(domain, "uuid");
		if (uuid != null) {
			for (Element entry : elements(doc, "entry")) {
				if ("uuid".equals(entry.getAttribute("name")) && entry.getTextContent().strip().equals(uuid.getTextContent().strip())) {
					entry.setTextContent(fresh);
				}
			}
			uuid.setTextContent(fresh);
		}
		Element devices = DomainXml.child(domain, "devices");
		Element emulator = devices == null ? null : DomainXml.child(devices, "emulator");
		if (emulator != null) {
			emulator.setTextContent(labEmulator(arch));
		}
		String originalMachine = machineOf(original);
		if (type != null && type.hasAttribute("machine") && originalMachine != null && !labMachines(arch).contains(originalMachine)) {
			type.setAttribute("machine", originalMachine.contains("q35") ? "q35" : "pc");
		}
		for (Element auth : elements(doc, "auth")) {
			auth.getParentNode().removeChild(auth);
		}
		for (Element graphics : elements(doc, "graphics")) {
			graphics.removeAttribute("passwd");
		}
		return DomainXml.write(doc);
	}

	static String machineOf(String xml) {
		Element os = DomainXml.child(DomainXml.parse(xml).getDocumentElement(), "os");
		Element type = os == null ? null : DomainXml.child(os, "type");
		return type == null || !type.hasAttribute("machine") ? null : type.getAttribute("machine");
	}

	static Element archOf(String arch) {
		for (Element guest : elements(labCapabilities, "guest")) {
			Element a = DomainXml.child(guest, "arch");
			if (a != null && arch.equals(a.getAttribute("name"))) {
				return a;
			}
		}
		return null;
	}

	static String labEmulator(String arch) {
		Element a = archOf(arch);
		Element emulator = a == null ? null : DomainXml.child(a, "emulator");
		return emulator == null ? "/usr/bin/qemu-system-x86_64" : emulator.getTextContent().strip();
	}

	static Set<String> labMachines(String arch) {
		Set<String> machines = new LinkedHashSet<>();
		Element a = archOf(arch);
		if (a != null) {
			for (Element m : DomainXml.children(a, "machine")) {
				machines.add(m.getTextContent().strip());
				if (m.hasAttribute("canonical")) {
					machines.add(m.getAttribute("canonical"));
				}
			}
		}
		return machines;
	}

	static List<Element> elements(Document doc, String tag) {
		NodeList nodes = doc.getElementsByTagName(tag);
		List<Element> out = new ArrayList<>();
		for (int i = 0; i < nodes.getLength(); i++) {
			out.add((Element) nodes.item(i));
		}
		return out;
	}

	static void undefine(String name) throws IOException, InterruptedException {
		if (virsh("domstate", name).code() == 0) {
			virsh("destroy", name);
			virsh("undefine", "--nvram", name);
			if (virsh("domstate", name).code() == 0) {
				virsh("undefine", name);
			}
		}
		defined.remove(name);
	}

	record Virsh(int code, String out) {
	}

	static Virsh virsh(String... args) throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", "qemu:///system"));
		cmd.addAll(List.of(args));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(60, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			return new Virsh(-1, out + " (timed out)");
		}
		return new Virsh(p.exitValue(), out.strip());
	}
}
