package io.virtwise.kvm.inspect;

import io.virtwise.kvm.xml.CapabilitiesParser;
import io.virtwise.kvm.xml.DomainXmlParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.KvmNodeFacts;

/** Captured libvirt artifacts from src/test/resources/fixtures/kvm. */
public final class KvmFixtures {

	public static final Path DIR = Path.of("src/test/resources/fixtures/kvm");

	private KvmFixtures() {
	}

	public static String text(String name) {
		try {
			return Files.readString(DIR.resolve(name));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public static GuestFacts guest(String name) {
		return DomainXmlParser.parse(text(name));
	}

	public static KvmNodeFacts node(String name) {
		return CapabilitiesParser.parse(text(name));
	}

	public static Facts facts(String capabilities, String... domains) {
		List<GuestFacts> guests = new ArrayList<>();
		for (String d : domains) {
			guests.add(guest(d));
		}
		return facts(node(capabilities), guests);
	}

	public static Facts facts(KvmNodeFacts node, List<GuestFacts> guests) {
		return new Facts(Facts.SCHEMA_VERSION, "2025-11-20T10:00:00Z", "test", null, List.of(), guests, List.of(), null, node);
	}
}
