package io.virtwise.kvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.GuestFacts;
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
		return parse(Files.readString(file), file.toString());
	}

	public static Parsed parse(String xml, String origin) {
		String root = rootElement(xml);
		return switch (root) {
			case "domain" -> new Parsed(null, DomainXmlParser.parse(xml));
			case "capabilities" -> new Parsed(CapabilitiesParser.parse(xml), null);
			default -> throw new IllegalArgumentException(origin + " is neither virsh dumpxml nor virsh capabilities output"
					+ (root.isEmpty() ? "" : " (root element <" + root + ">)"));
		};
	}

	private static String rootElement(String xml) {
		try {
			return DomainXml.parse(xml).getDocumentElement().getTagName();
		}
		catch (IllegalArgumentException e) {
			return "";
		}
	}
}
