package io.virtwise.advice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.virtwise.importer.FactsImporter;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import io.virtwise.kvm.xml.DomainXml;
import org.w3c.dom.NodeList;

/**
 * The corpus of real-world configurations in src/test/resources/corpus: one folder per item with the
 * files a user would import ({@code docker inspect}, {@code docker image inspect}, {@code docker info},
 * {@code docker version}, {@code virsh dumpxml}, {@code virsh capabilities}, virtwise facts) and an
 * {@code expect.json}. Items are imported as {@code facts import} does and advised with the project's rules/.
 */
public final class Corpus {

	public static final Path ROOT = Path.of("src/test/resources/corpus");
	static final String EXPECTATIONS = "expect.json";

	private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

	private Corpus() {
	}

	/** Every item folder (those with an expect.json), sorted by name. */
	public static List<Path> items() {
		try (Stream<Path> dirs = Files.list(ROOT)) {
			return dirs.filter(d -> Files.isRegularFile(d.resolve(EXPECTATIONS))).sorted().toList();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The files of an item that {@code facts import} reads: everything but its expectations. */
	public static List<Path> files(Path item) {
		try (Stream<Path> files = Files.list(item)) {
			return files.filter(f -> !f.getFileName().toString().equals(EXPECTATIONS))
				.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".xml")).sorted().toList();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The item's facts, imported as {@code facts import FILE...} does into a fresh session. */
	public static Facts facts(Path item) throws FactsFileException {
		Facts empty = new Facts(Facts.SCHEMA_VERSION, Instant.parse("2026-12-01T00:00:00Z").toString(), "imported", null,
				List.of(), List.of(), List.of(), null, null);
		return tweaked(item, FactsImporter.importFiles(empty, files(item)).facts());
	}

	/**
	 * What saved XML cannot say and a live host reads itself: a guest's state ({@code state.NAME=running}) and
	 * libvirt's version, from the item's tweaks.properties when it has one.
	 */
	static Facts tweaked(Path item, Facts facts) {
		Path file = item.resolve("tweaks.properties");
		if (!Files.exists(file)) {
			return facts;
		}
		java.util.Properties props = new java.util.Properties();
		try (java.io.Reader in = Files.newBufferedReader(file)) {
			props.load(in);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		List<io.virtwise.facts.GuestFacts> guests = facts.guests().stream()
			.map(g -> props.getProperty("state." + g.name()) == null ? g : g.withState(props.getProperty("state." + g.name()))).toList();
		io.virtwise.facts.KvmNodeFacts k = facts.kvmNode();
		String version = props.getProperty("libvirtVersion");
		if (k != null && version != null) {
			k = new io.virtwise.facts.KvmNodeFacts(k.uri(), version, k.cpuModel(), k.cpuVendor(), k.sockets(), k.dies(), k.cores(),
					k.threads(), k.cpus(), k.memoryKb(), k.pageSizesKb(), k.cells(), k.caches(), k.domainTypes(), k.kvmArchs());
		}
		return facts.withKvm(k, guests);
	}

	public static Expectations expectations(Path item) {
		try {
			return JSON.readValue(item.resolve(EXPECTATIONS).toFile(), Expectations.class);
		}
		catch (IOException e) {
			throw new UncheckedIOException(item.resolve(EXPECTATIONS) + " does not read: " + e.getMessage(), e);
		}
	}

	/**
	 * What an item's advice must and must not contain. Every entry says why, citing documentation or
	 * behaviour; a missing subject (or "*") means any subject.
	 */
	@JsonIgnoreProperties(ignoreUnknown = false)
	/**
	 * @param refusedByThisLibvirt why this lab's libvirt refuses the original itself (an architecture it has no emulator for,
	 *        XML its schema refuses): the engine-validation test then checks that refusal instead of validating fixes
	 */
	public record Expectations(String source, List<Finding> mustAdvise, List<Finding> mustNotAdvise, List<FixPattern> fixMustNotMatch,
			List<XmlPattern> xmlMustNotMatch, String refusedByThisLibvirt) {

		public Expectations {
			mustAdvise = mustAdvise == null ? List.of() : mustAdvise;
			mustNotAdvise = mustNotAdvise == null ? List.of() : mustNotAdvise;
			fixMustNotMatch = fixMustNotMatch == null ? List.of() : fixMustNotMatch;
			xmlMustNotMatch = xmlMustNotMatch == null ? List.of() : xmlMustNotMatch;
		}

		/** Each unmet expectation as one line naming it and its why. */
		public List<String> unmet(List<Recommendation> advice) {
			List<String> unmet = new ArrayList<>();
			for (Finding f : mustAdvise) {
				if (advice.stream().noneMatch(f::matches)) {
					unmet.add("missing " + f.id() + "@" + f.subjectOrAny() + " (" + f.why() + ")");
				}
			}
			for (Finding f : mustNotAdvise) {
				advice.stream().filter(r -> f.matches(r) && (f.above() == null || r.severity().compareTo(Severity.parse(f.above())) > 0))
					.forEach(r -> unmet.add("advised " + r.id() + "@" + r.subject() + " at " + r.severity()
							+ (f.above() == null ? "" : " (at most " + f.above() + " allowed)") + " (" + f.why() + ")"));
			}
			for (FixPattern p : fixMustNotMatch) {
				Pattern regex = Pattern.compile(p.regex());
				for (Recommendation r : advice) {
					if (p.applies(r)) {
						List<String> lines = new ArrayList<>(r.fix());
						lines.addAll(r.rollback());
						lines.stream().filter(l -> regex.matcher(l).find())
							.forEach(l -> unmet.add(r.id() + "@" + r.subject() + " prints /" + p.regex() + "/: " + l + " (" + p.why() + ")"));
					}
				}
			}
			for (XmlPattern p : xmlMustNotMatch) {
				for (Recommendation r : advice) {
					if (r.newDomainXml() != null && p.applies(r) && p.matches(r.newDomainXml())) {
						unmet.add(r.id() + "@" + r.subject() + "'s new domain XML has " + p.xpath() + " (" + p.why() + ")");
					}
				}
			}
			return unmet;
		}

		/** Every entry carries its why. */
		public List<String> unexplained() {
			List<String> missing = new ArrayList<>();
			Stream.of(mustAdvise, mustNotAdvise).flatMap(List::stream).filter(f -> blank(f.why())).forEach(f -> missing.add(f.id()));
			fixMustNotMatch.stream().filter(p -> blank(p.why())).forEach(p -> missing.add(p.regex()));
			xmlMustNotMatch.stream().filter(p -> blank(p.why())).forEach(p -> missing.add(p.xpath()));
			return missing;
		}
	}

	/** A finding by id and subject; {@code above}: only a severity above this one counts (must-not only). */
	public record Finding(String id, String subject, String above, String why) {

		boolean matches(Recommendation r) {
			return r.id().equals(id) && (subject == null || subject.equals("*") || subject.equals(r.subject()));
		}

		String subjectOrAny() {
			return subject == null ? "*" : subject;
		}
	}

	/** A regex no fix or rollback line may contain, optionally only for one id or subject. */
	public record FixPattern(String regex, String id, String subject, String why) {

		boolean applies(Recommendation r) {
			return (id == null || id.equals(r.id())) && (subject == null || subject.equals(r.subject()));
		}
	}

	/** An XPath that must select nothing in any new domain XML, optionally only for one id or subject. */
	public record XmlPattern(String xpath, String id, String subject, String why) {

		boolean applies(Recommendation r) {
			return (id == null || id.equals(r.id())) && (subject == null || subject.equals(r.subject()));
		}

		boolean matches(String xml) {
			try {
				NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, DomainXml.parse(xml), XPathConstants.NODESET);
				return nodes.getLength() > 0;
			}
			catch (XPathExpressionException e) {
				throw new IllegalArgumentException("bad XPath " + xpath + ": " + e.getMessage(), e);
			}
		}
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}
}
