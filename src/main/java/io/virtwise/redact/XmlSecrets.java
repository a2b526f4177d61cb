package io.virtwise.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where secrets sit in libvirt domain XML beyond what the text passes find: every {@code
 * <qemu:env>} value (no rule reads them, and Docker environment values are never shown either),
 * the usage name of a {@code <secret>}, the {@code value} of an element whose {@code name} looks
 * secret ({@code <qemu:property name='password' value='...'/>} under {@code <qemu:override>}), the
 * text of an element named like a secret ({@code <cookie>}, {@code <vw:password>}), the data of a
 * QEMU {@code secret} object, and the {@code <qemu:arg>} values read in order as one command line,
 * so {@code --token} and its value in two args go together. One scan of the tags: linear.
 */
final class XmlSecrets {

	private final String xml;
	private final int n;
	private final Spans spans;
	private final CommandState qemuArgs = new CommandState(true);

	private XmlSecrets(String xml, Spans spans) {
		this.xml = xml;
		this.n = xml.length();
		this.spans = spans;
	}

	static void scan(String xml, Spans spans) {
		new XmlSecrets(xml, spans).run();
	}

	private void run() {
		int i = 0;
		while (i < n) {
			int lt = xml.indexOf('<', i);
			if (lt < 0) {
				return;
			}
			if (xml.startsWith("<!--", lt)) {
				i = skipPast(lt + 4, "-->");
			}
			else if (xml.startsWith("<![CDATA[", lt)) {
				i = skipPast(lt + 9, "]]>");
			}
			else if (lt + 1 < n && (Character.isLetter(xml.charAt(lt + 1)) || xml.charAt(lt + 1) == '_')) {
				i = element(lt + 1);
			}
			else {
				i = lt + 1;
			}
		}
	}

	private int skipPast(int from, String end) {
		int at = xml.indexOf(end, from);
		return at < 0 ? n : at + end.length();
	}

	/** One start tag at {@code at} (after its {@code <}): returns where its text, if any, begins. */
	private int element(int at) {
		int nameEnd = at;
		while (nameEnd < n && isNameChar(xml.charAt(nameEnd))) {
			nameEnd++;
		}
		String tag = xml.substring(at, Math.min(nameEnd, at + 128));
		String local = tag.substring(tag.indexOf(':') + 1).toLowerCase(Locale.ROOT);
		List<int[]> attributes = new ArrayList<>();
		List<String> names = new ArrayList<>();
		int i = nameEnd;
		boolean empty = false;
		while (i < n) {
			char c = xml.charAt(i);
			if (c == '>') {
				i++;
				break;
			}
			if (c == '/' && i + 1 < n && xml.charAt(i + 1) == '>') {
				empty = true;
				i += 2;
				break;
			}
			if (!isNameChar(c)) {
				i++;
				continue;
			}
			int attrStart = i;
			while (i < n && isNameChar(xml.charAt(i))) {
				i++;
			}
			String name = xml.substring(attrStart, Math.min(i, attrStart + 128));
			while (i < n && Character.isWhitespace(xml.charAt(i))) {
				i++;
			}
			if (i >= n || xml.charAt(i) != '=') {
				continue;
			}
			i++;
			while (i < n && Character.isWhitespace(xml.charAt(i))) {
				i++;
			}
			if (i >= n || xml.charAt(i) != '\'' && xml.charAt(i) != '"') {
				continue;
			}
			int close = xml.indexOf(xml.charAt(i), i + 1);
			int valueEnd = close < 0 ? n : close;
			names.add(name.substring(name.indexOf(':') + 1).toLowerCase(Locale.ROOT));
			attributes.add(new int[] { i + 1, valueEnd });
			i = close < 0 ? n : close + 1;
		}
		int[] value = attribute(names, attributes, "value");
		int[] nameAttr = attribute(names, attributes, "name");
		boolean secretNamed = nameAttr != null && SecretName.of(xml, nameAttr[0], nameAttr[1]).always();
		if (local.equals("env") && tag.contains(":") && value != null) {
			add(value);
		}
		if (local.equals("secret")) {
			add(attribute(names, attributes, "usage"));
		}
		if (secretNamed && value != null) {
			add(value);
		}
		if (local.equals("arg") && tag.contains(":") && value != null) {
			qemuArg(value);
		}
		if (local.equals("commandline")) {
			qemuArgs.reset();
		}
		boolean secretText = SecretName.of(local).always() || secretNamed;
		if (!empty && secretText && !local.equals("secret")) {
			int textStart = i;
			while (textStart < n && Character.isWhitespace(xml.charAt(textStart))) {
				textStart++;
			}
			if (xml.startsWith("<![CDATA[", textStart)) {
				// the text as a CDATA section: all of its data, up to ]]> (or the end when it has none)
				int data = textStart + 9;
				int close = xml.indexOf("]]>", data);
				int dataEnd = close < 0 ? n : close;
				if (dataEnd > data && !Redactor.isMarkerAt(xml, data)) {
					spans.add(data, dataEnd);
				}
				return close < 0 ? n : close + 3;
			}
			int textEnd = xml.indexOf('<', i);
			textEnd = textEnd < 0 ? n : textEnd;
			int start = i;
			int end = textEnd;
			while (start < end && Character.isWhitespace(xml.charAt(start))) {
				start++;
			}
			while (end > start && Character.isWhitespace(xml.charAt(end - 1))) {
				end--;
			}
			if (!Redactor.isMarkerAt(xml, start)) {
				spans.add(start, end);
			}
			return textEnd;
		}
		return i;
	}

	/** One {@code <qemu:arg>} value: a word of QEMU's command line, and the data of a {@code secret} object. */
	private void qemuArg(int[] value) {
		qemuArgs.word(xml, value[0], value[1], spans::add);
		String arg = xml.substring(value[0], value[1]);
		if (arg.startsWith("secret,") || arg.contains("&quot;secret&quot;")) {
			int data = arg.startsWith("secret,") ? field(arg, "data=") : arg.indexOf("&quot;data&quot;:&quot;");
			if (data >= 0) {
				int start = arg.startsWith("secret,") ? data + 5 : data + "&quot;data&quot;:&quot;".length();
				int end = arg.startsWith("secret,") ? arg.indexOf(',', start) : arg.indexOf("&quot;", start);
				end = end < 0 ? arg.length() : end;
				if (!Redactor.isMarkerAt(arg, start)) {
					spans.add(value[0] + start, value[0] + end);
				}
			}
		}
	}

	/** Where {@code name} starts as a comma-separated field of a QEMU option. */
	private static int field(String arg, String name) {
		for (int at = arg.indexOf(name); at >= 0; at = arg.indexOf(name, at + 1)) {
			if (at == 0 || arg.charAt(at - 1) == ',') {
				return at;
			}
		}
		return -1;
	}

	private void add(int[] range) {
		if (range != null && !Redactor.isMarkerAt(xml, range[0])) {
			spans.add(range[0], range[1]);
		}
	}

	private static int[] attribute(List<String> names, List<int[]> ranges, String name) {
		int index = names.indexOf(name);
		return index < 0 ? null : ranges.get(index);
	}

	private static boolean isNameChar(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == ':' || c == '-' || c == '.';
	}
}
