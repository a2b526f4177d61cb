package io.virtwise.kvm.xml;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import io.virtwise.redact.Redactor;
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
	static final String REDACTED = Redactor.XML_REDACTED;

	private DomainXml() {
	}

	/** Secrets replaced by {@value #REDACTED} by the one redactor, before anything else reads the text. */
	public static String redact(String xml) {
		return Redactor.redactXml(xml);
	}

	/**
	 * The secrets {@link #redact} replaced in {@code redacted}, put back from {@code original} in
	 * document order, so a domain edited from redacted facts keeps its real secrets when defined.
	 *
	 * @throws IllegalArgumentException when the two texts do not carry the same secrets
	 */
	public static String restoreSecrets(String redacted, String original) {
		return Redactor.restoreXmlSecrets(redacted, original);
	}

	/** Deeper than any domain or capabilities XML nests; a hostile file stops here with one line. */
	public static final int MAX_NESTING = 1000;

	/** More elements than any domain or capabilities XML holds; past it the DOM alone could fill the heap. */
	public static final int MAX_ELEMENTS = 200_000;

	/** Parses without DTDs or external entities; remembers each element's attribute order. */
	public static Document parse(String xml) {
		return parse(xml, MAX_NESTING, MAX_ELEMENTS);
	}

	/**
	 * @throws IllegalArgumentException one line for XML that is not well-formed, nests deeper than
	 *         {@code maxNesting} or holds more than {@code maxElements} elements (checked while
	 *         streaming, before any DOM is built)
	 */
	static Document parse(String xml, int maxNesting, int maxElements) {
		List<List<String>> orders = attributeOrders(xml, maxNesting, maxElements);
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setExpandEntityReferences(false);
			factory.setNamespaceAware(false);
			DocumentBuilder builder = factory.newDocumentBuilder();
			builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
			Document doc = builder.parse(new InputSource(new StringReader(xml)));
			if (orders != null) {
				recordAttributeOrder(doc, orders);
			}
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

	/**
	 * One streaming pass, before the DOM is built: refuses XML past the bounds, and notes each
	 * element's attributes as written (the JDK's DOM keeps them sorted by name). {@code null} when
	 * the stream reader cannot read the text: the DOM parser then reports where it breaks.
	 */
	private static List<List<String>> attributeOrders(String xml, int maxNesting, int maxElements) {
		List<List<String>> orders = new ArrayList<>();
		XMLStreamReader reader = null;
		try {
			XMLInputFactory factory = XMLInputFactory.newFactory();
			factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
			factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
			reader = factory.createXMLStreamReader(new StringReader(xml));
			int depth = 0;
			while (reader.hasNext()) {
				int event = reader.next();
				if (event == XMLStreamConstants.START_ELEMENT) {
					if (++depth > maxNesting) {
						throw new IllegalArgumentException("XML beyond virtwise's bounds: elements nested deeper than "
								+ maxNesting + " levels (line " + reader.getLocation().getLineNumber() + ")");
					}
					if (orders.size() >= maxElements) {
						throw new IllegalArgumentException("XML beyond virtwise's bounds: more than " + maxElements
								+ " elements (line " + reader.getLocation().getLineNumber() + ")");
					}
					int count = reader.getAttributeCount();
					if (count == 0) {
						orders.add(List.of());
					}
					else {
						List<String> order = new ArrayList<>(count);
						for (int i = 0; i < count; i++) {
							order.add(reader.getAttributeLocalName(i));
						}
						orders.add(order);
					}
				}
				else if (event == XMLStreamConstants.END_ELEMENT) {
					depth--;
				}
			}
			return orders;
		}
		catch (XMLStreamException e) {
			return null;
		}
		finally {
			if (reader != null) {
				try {
					reader.close();
				}
				catch (XMLStreamException e) {
					// nothing held open: the text is a string
				}
			}
		}
	}

	// Document order, without recursion or a NodeList (whose getLength() walks the tree each time).
	private static void recordAttributeOrder(Document doc, List<List<String>> orders) {
		int index = 0;
		Node node = doc.getDocumentElement();
		while (node != null && index < orders.size()) {
			if (node instanceof Element element) {
				element.setUserData(ATTRIBUTE_ORDER, orders.get(index++), null);
			}
			if (node.getFirstChild() != null) {
				node = node.getFirstChild();
				continue;
			}
			while (node != null && node.getNextSibling() == null) {
				node = node.getParentNode();
				if (node == doc) {
					return;
				}
			}
			if (node != null) {
				node = node.getNextSibling();
			}
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
