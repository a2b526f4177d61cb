package io.virtwise.kvm.inspect;

import io.virtwise.kvm.xml.CapabilitiesParser;
import io.virtwise.kvm.xml.DomainXml;
import io.virtwise.kvm.xml.DomainXmlParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.InputFiles;
import io.virtwise.facts.KvmNodeFacts;

/**
 * Saved libvirt artifacts ({@code virsh dumpxml}, {@code virsh capabilities}) as facts parts, for
 * {@code facts import} to merge: a domain file yields one guest, a capabilities file the node.
 */
public final class KvmArtifacts {

	/** What one file held: exactly one of the two is non-null. */
	public record Parsed(KvmNodeFacts node, GuestFacts guest) {

		public List<GuestFacts> guests() {
			return guest == null ? List.of() : List.of(guest);
		}
	}

	private KvmArtifacts() {
	}

	public static Parsed parse(Path file) throws IOException {
		return parse(InputFiles.readText(file, "libvirt XML file"), file.toString());
	}

	/**
	 * @throws IllegalArgumentException one line naming {@code origin} and the line and column: XML that
	 *         is not well-formed, or whose root is neither {@code <domain>} nor {@code <capabilities>}
	 */
	public static Parsed parse(String xml, String origin) {
		String root;
		try {
			// The text as given, not a redacted copy, so line and column are the user's.
			root = DomainXml.parse(xml).getDocumentElement().getTagName();
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(origin + " is " + e.getMessage(), e);
		}
		return switch (root) {
			case "domain" -> new Parsed(null, DomainXmlParser.parse(xml));
			case "capabilities" -> new Parsed(CapabilitiesParser.parse(xml), null);
			default -> throw new IllegalArgumentException(origin + " has root element <" + root + "> (" + rootLocation(xml)
					+ "), neither <domain> (virsh dumpxml) nor <capabilities> (virsh capabilities)");
		};
	}

	/** Where the root element starts in well-formed XML: past the prolog's declaration, comments and processing instructions. */
	static String rootLocation(String xml) {
		int i = 0;
		while (i < xml.length()) {
			int lt = xml.indexOf('<', i);
			if (lt < 0) {
				break;
			}
			if (xml.startsWith("<?", lt)) {
				i = xml.indexOf("?>", lt) + 2;
			}
			else if (xml.startsWith("<!--", lt)) {
				i = xml.indexOf("-->", lt) + 3;
			}
			else {
				String before = xml.substring(0, lt);
				int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
				return "line " + line + ", column " + (lt - before.lastIndexOf('\n'));
			}
		}
		return "line 1, column 1";
	}
}
