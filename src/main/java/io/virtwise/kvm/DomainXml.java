package io.virtwise.kvm;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import io.virtwise.docker.SecretRedaction;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Domain XML as a DOM that writes itself back the way libvirt formats it (two-space indents,
 * single-quoted attributes in their original order), so an edited copy differs from the
 * original only in the lines that were changed and a diff of the two stays readable.
 */
public final class DomainXml {

	private static final String ATTRIBUTE_ORDER = "virtwise.attributeOrder";
	static final String REDACTED = "(redacted)";

	/** A name like DB_PASSWORD, api-token or ENCRYPTION_KEY: the same words as for Docker labels. */
	private static final String SECRET_NAME = "[A-Za-z0-9_.-]*(?i:" + SecretRedaction.SECRET_WORDS + ")[A-Za-z0-9_.-]*";
	private static final String QUOTED_VALUE = "(?<q>['\"])(?<v>[^'\"]*)\\k<q>";

	/**
	 * Where secrets sit in domain XML; each pattern's group {@code v} is the secret. Attributes: VNC/SPICE
	 * and any {@code passwd}/{@code password}, and the usage name of an auth or encryption {@code <secret>}.
	 * Every {@code <qemu:env>} value, not only secret-looking names: no rule reads them, a variable of
	 * any name may carry a credential (a URL with a password), and Docker environment values are never
	 * shown either.
	 */
	private static final List<Pattern> SECRET_ATTRIBUTES = List.of(
			Pattern.compile("\\b(?<k>passwd|password)\\s*=\\s*" + QUOTED_VALUE),
			Pattern.compile("<(?<k>secret)\\b[^>]*?\\busage\\s*=\\s*" + QUOTED_VALUE),
			Pattern.compile("<[A-Za-z0-9_.-]+:(?<k>env)\\b[^>]*?\\bvalue\\s*=\\s*" + QUOTED_VALUE));

	/** A {@code <qemu:arg>} value, whose comma-separated fields are searched for secrets. */
	private static final Pattern QEMU_ARG = Pattern.compile("<[A-Za-z0-9_.-]+:arg\\b[^>]*?\\bvalue\\s*=\\s*" + QUOTED_VALUE);

	/**
	 * {@code -object secret,id=s0,data=...}, {@code password=...} and any field with a secret-looking
	 * name; also in QEMU's JSON form, whose quotes libvirt writes as {@code &quot;}.
	 */
	private static final List<Pattern> ARG_FIELDS = List.of(
			Pattern.compile("(?:^|,)(?<k>data|" + SECRET_NAME + ")=(?<v>[^,]*)"),
			Pattern.compile("&quot;(?<k>data|" + SECRET_NAME + ")&quot;\\s*:\\s*&quot;(?<v>.*?)&quot;"));

	/** Free text the user wrote, where KEY=value notes with a secret-looking KEY are blanked. */
	private static final Pattern FREE_TEXT = Pattern.compile("<(description|metadata)>(?<v>.*?)</\\1>", Pattern.DOTALL);

	private static final List<Pattern> FREE_TEXT_SECRETS = List.of(
			Pattern.compile("(?<k>" + SECRET_NAME + ")\\s*=\\s*(?:" + QUOTED_VALUE + "|(?<u>[^\\s<>,;'\"]+))"),
			Pattern.compile("(?<k>" + SECRET_NAME + "):\\s+(?<u>[^\\s<>,;'\"]+)"),
			// an element named like a secret, <vw:db_password xmlns:vw='...'>value</vw:db_password>
			Pattern.compile("<(?:[A-Za-z0-9_.-]+:)?(?<k>" + SECRET_NAME + ")(?:\\s[^>]*[^/>])?>\\s*(?<u>[^<\\s][^<]*?)\\s*</"));

	/** One secret: its place in the text and what holds it, so a redacted copy can be matched to the original. */
	private record Secret(String kind, int start, int end) {
	}

	private DomainXml() {
	}

	/**
	 * Secrets replaced by {@value #REDACTED}, before anything else reads the text: passwords,
	 * {@code <secret>} usage names, {@code <qemu:env>} values, secret fields of {@code <qemu:arg>}
	 * values, and KEY=value notes with a secret-looking KEY in {@code <description>} and {@code <metadata>}.
	 */
	public static String redact(String xml) {
		StringBuilder out = new StringBuilder(xml);
		List<Secret> secrets = secrets(xml);
		for (int i = secrets.size() - 1; i >= 0; i--) {
			out.replace(secrets.get(i).start(), secrets.get(i).end(), REDACTED);
		}
		return out.toString();
	}

	/**
	 * The secrets {@link #redact} replaced in {@code redacted}, put back from {@code original} in
	 * document order, so a domain edited from redacted facts keeps its real secrets when defined.
	 *
	 * @throws IllegalArgumentException when the two texts do not carry the same secrets in the same order
	 */
	public static String restoreSecrets(String redacted, String original) {
		List<Secret> from = secrets(original);
		List<Secret> to = secrets(redacted);
		StringBuilder out = new StringBuilder(redacted);
		for (int i = 0; i < Math.min(from.size(), to.size()); i++) {
			if (!from.get(i).kind().equals(to.get(i).kind())) {
				throw new IllegalArgumentException("the edited XML's secrets do not match the original's (" + to.get(i).kind()
						+ " where the original has " + from.get(i).kind() + ")");
			}
		}
		if (to.size() != from.size()) {
			throw new IllegalArgumentException(to.size() < from.size()
					? "the edited XML lost " + (from.size() - to.size()) + " secret(s) of the original"
					: "the edited XML has " + (to.size() - from.size()) + " secret(s) more than the original");
		}
		for (int i = to.size() - 1; i >= 0; i--) {
			Secret t = to.get(i);
			if (redacted.substring(t.start(), t.end()).equals(REDACTED)) {
				Secret f = from.get(i);
				out.replace(t.start(), t.end(), original.substring(f.start(), f.end()));
			}
		}
		return out.toString();
	}

	/** Every secret in document order; where two rules find the same text, the first one counts. */
	private static List<Secret> secrets(String xml) {
		List<Secret> found = new ArrayList<>();
		for (Pattern p : SECRET_ATTRIBUTES) {
			Matcher m = p.matcher(xml);
			while (m.find()) {
				found.add(new Secret(m.group("k"), m.start("v"), m.end("v")));
			}
		}
		within(xml, QEMU_ARG, ARG_FIELDS, "qemu:arg", found);
		within(xml, FREE_TEXT, FREE_TEXT_SECRETS, "text", found);
		found.sort(java.util.Comparator.comparingInt(Secret::start));
		List<Secret> apart = new ArrayList<>();
		for (Secret s : found) {
			if (apart.isEmpty() || s.start() >= apart.get(apart.size() - 1).end()) {
				apart.add(s);
			}
		}
		return apart;
	}

	/** The secrets {@code inner} patterns find inside group {@code v} of every match of {@code outer}. */
	private static void within(String xml, Pattern outer, List<Pattern> inner, String where, List<Secret> found) {
		Matcher o = outer.matcher(xml);
		while (o.find()) {
			int base = o.start("v");
			for (Pattern p : inner) {
				Matcher m = p.matcher(o.group("v"));
				while (m.find()) {
					// group u holds an unquoted value where a pattern has one, else v the quoted one
					String group = p.pattern().contains("(?<u>") && m.start("u") >= 0 ? "u" : "v";
					found.add(new Secret(where + " " + m.group("k"), base + m.start(group), base + m.end(group)));
				}
			}
		}
	}

	/** Parses without DTDs or external entities; remembers each element's attribute order. */
	public static Document parse(String xml) {
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setExpandEntityReferences(false);
			factory.setNamespaceAware(false);
			DocumentBuilder builder = factory.newDocumentBuilder();
			builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
			Document doc = builder.parse(new InputSource(new StringReader(xml)));
			recordAttributeOrder(xml, doc);
			return doc;
		}
		catch (SAXParseException e) {
			throw new IllegalArgumentException("not well-formed XML (line " + e.getLineNumber() + ", column "
					+ e.getColumnNumber() + "): " + e.getMessage().strip().replaceAll("\\s+", " "), e);
		}
		catch (ParserConfigurationException | SAXException | IOException e) {
			throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
		}
	}

	// The JDK's DOM keeps attributes sorted by name; StAX sees them as written.
	private static void recordAttributeOrder(String xml, Document doc) {
		NodeList elements = doc.getElementsByTagName("*");
		try {
			XMLInputFactory factory = XMLInputFactory.newFactory();
			factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
			XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(xml));
			int index = 0;
			while (reader.hasNext()) {
				if (reader.next() == XMLStreamConstants.START_ELEMENT && index < elements.getLength()) {
					List<String> order = new ArrayList<>();
					for (int i = 0; i < reader.getAttributeCount(); i++) {
						order.add(reader.getAttributeLocalName(i));
					}
					elements.item(index++).setUserData(ATTRIBUTE_ORDER, order, null);
				}
			}
			reader.close();
		}
		catch (XMLStreamException e) {
			// Order is cosmetic: fall back to the DOM's order.
		}
	}

	/** The document as libvirt would print it. */
	public static String write(Document doc) {
		StringBuilder out = new StringBuilder();
		for (Node child = doc.getFirstChild(); child != null; child = child.getNextSibling()) {
			writeNode(child, out);
			if (child.getNodeType() != Node.TEXT_NODE) {
				out.append('\n');
			}
		}
		return out.toString();
	}

	/**
	 * The document as {@link #write(Document)} prints it, noting where each child node of the root
	 * element and of {@code level} (its devices) lies in the text, and where their start tags lie.
	 */
	static String write(Document doc, Element level, Map<Node, int[]> pieces, Map<Node, int[]> startTags) {
		StringBuilder out = new StringBuilder();
		Element root = doc.getDocumentElement();
		for (Node child = doc.getFirstChild(); child != null; child = child.getNextSibling()) {
			if (child == root && root.hasChildNodes()) {
				writeLevel(root, level, out, pieces, startTags);
			}
			else {
				writeNode(child, out);
			}
			if (child.getNodeType() != Node.TEXT_NODE) {
				out.append('\n');
			}
		}
		return out.toString();
	}

	private static void writeLevel(Element element, Element level, StringBuilder out, Map<Node, int[]> pieces,
			Map<Node, int[]> startTags) {
		int tagStart = out.length();
		writeStartTag(element, out);
		startTags.put(element, new int[] {tagStart, out.length()});
		for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
			int start = out.length();
			if (child == level && level.hasChildNodes()) {
				writeLevel(level, null, out, pieces, startTags);
			}
			else {
				writeNode(child, out);
			}
			pieces.put(child, new int[] {start, out.length()});
		}
		out.append("</").append(element.getTagName()).append('>');
	}

	static void writeNode(Node node, StringBuilder out) {
		switch (node.getNodeType()) {
			case Node.ELEMENT_NODE -> writeElement((Element) node, out);
			case Node.TEXT_NODE -> out.append(escape(node.getNodeValue(), false));
			case Node.CDATA_SECTION_NODE -> out.append("<![CDATA[").append(node.getNodeValue()).append("]]>");
			case Node.COMMENT_NODE -> out.append("<!--").append(node.getNodeValue()).append("-->");
			default -> {
			}
		}
	}

	private static void writeElement(Element element, StringBuilder out) {
		writeStartTag(element, out);
		if (!element.hasChildNodes()) {
			return;
		}
		for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
			writeNode(child, out);
		}
		out.append("</").append(element.getTagName()).append('>');
	}

	/** {@code <tag attributes>}, or {@code <tag attributes/>} for an element without children. */
	static void writeStartTag(Element element, StringBuilder out) {
		out.append('<').append(element.getTagName());
		for (String name : attributeNames(element)) {
			out.append(' ').append(name).append("='").append(escape(element.getAttribute(name), true)).append('\'');
		}
		out.append(element.hasChildNodes() ? ">" : "/>");
	}

	/** Undoes {@link #set} adding an attribute: the name leaves the recorded order again. */
	@SuppressWarnings("unchecked")
	static void forgetAttribute(Element e, String name) {
		if (e.getUserData(ATTRIBUTE_ORDER) instanceof List<?> order) {
			List<String> shorter = new ArrayList<>((List<String>) order);
			int last = shorter.lastIndexOf(name);
			if (last >= 0) {
				shorter.remove(last);
				e.setUserData(ATTRIBUTE_ORDER, shorter, null);
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static List<String> attributeNames(Element element) {
		Set<String> names = new LinkedHashSet<>();
		Object recorded = element.getUserData(ATTRIBUTE_ORDER);
		if (recorded instanceof List<?> order) {
			for (String name : (List<String>) order) {
				if (element.hasAttribute(name)) {
					names.add(name);
				}
			}
		}
		NamedNodeMap attributes = element.getAttributes();
		for (int i = 0; i < attributes.getLength(); i++) {
			names.add(attributes.item(i).getNodeName());
		}
		return new ArrayList<>(names);
	}

	private static String escape(String text, boolean attribute) {
		StringBuilder out = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> out.append("&amp;");
				case '<' -> out.append("&lt;");
				case '>' -> out.append("&gt;");
				case '\'' -> out.append(attribute ? "&apos;" : "'");
				case '"' -> out.append(attribute ? "&quot;" : "\"");
				default -> out.append(c);
			}
		}
		return out.toString();
	}

	// --- editing helpers: keep libvirt's indentation when adding elements ---

	/** The first child element with this tag, or {@code null}. */
	public static Element child(Element parent, String tag) {
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
			if (n instanceof Element e && e.getTagName().equals(tag)) {
				return e;
			}
		}
		return null;
	}

	public static List<Element> children(Element parent, String tag) {
		List<Element> found = new ArrayList<>();
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
			if (n instanceof Element e && e.getTagName().equals(tag)) {
				found.add(e);
			}
		}
		return found;
	}

	/** The child with this tag, created (indented, after {@code after} when given) if missing. */
	public static Element childOrCreate(Element parent, String tag, String after) {
		Element existing = child(parent, tag);
		if (existing != null) {
			return existing;
		}
		Element created = parent.getOwnerDocument().createElement(tag);
		Element anchor = after == null ? null : child(parent, after);
		insert(parent, created, anchor);
		return created;
	}

	/** Adds {@code element} as a child of {@code parent}, after {@code anchor} (or last), on its own line. */
	public static Element insert(Element parent, Element element, Element anchor) {
		Document doc = parent.getOwnerDocument();
		String indent = "\n" + "  ".repeat(depth(parent) + 1);
		if (!parent.hasChildNodes()) {
			parent.appendChild(doc.createTextNode(indent));
			parent.appendChild(element);
			parent.appendChild(doc.createTextNode("\n" + "  ".repeat(depth(parent))));
			return element;
		}
		Node before = anchor != null ? anchor.getNextSibling() : parent.getLastChild();
		if (anchor == null && before != null && before.getNodeType() != Node.TEXT_NODE) {
			before = null;
		}
		parent.insertBefore(doc.createTextNode(indent), before);
		parent.insertBefore(element, before);
		if (anchor != null && before == null) {
			parent.appendChild(doc.createTextNode("\n" + "  ".repeat(depth(parent))));
		}
		return element;
	}

	/** Removes an element together with the indentation before it. */
	public static void remove(Element element) {
		Node previous = element.getPreviousSibling();
		if (previous != null && previous.getNodeType() == Node.TEXT_NODE && previous.getNodeValue().isBlank()) {
			previous.getParentNode().removeChild(previous);
		}
		element.getParentNode().removeChild(element);
	}

	/** A new element with attributes given as name, value pairs, in that order. */
	public static Element element(Document doc, String tag, String... attributes) {
		Element e = doc.createElement(tag);
		List<String> order = new ArrayList<>();
		for (int i = 0; i + 1 < attributes.length; i += 2) {
			e.setAttribute(attributes[i], attributes[i + 1]);
			order.add(attributes[i]);
		}
		e.setUserData(ATTRIBUTE_ORDER, order, null);
		return e;
	}

	/** Sets an attribute; a new one goes last, as libvirt would add it. */
	@SuppressWarnings("unchecked")
	public static void set(Element e, String name, String value) {
		if (!e.hasAttribute(name) && e.getUserData(ATTRIBUTE_ORDER) instanceof List<?> order) {
			List<String> extended = new ArrayList<>((List<String>) order);
			extended.add(name);
			e.setUserData(ATTRIBUTE_ORDER, extended, null);
		}
		e.setAttribute(name, value);
	}

	private static int depth(Node node) {
		int depth = 0;
		for (Node p = node.getParentNode(); p != null && p.getNodeType() == Node.ELEMENT_NODE; p = p.getParentNode()) {
			depth++;
		}
		return depth;
	}
}
