package io.virtwise.advice.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of one rule file, read for what the Drools compiler does not keep: the line of each
 * {@code rule} header (so a failing rule can be named as file:line) and calls that would end or
 * escape the process. Comments and string literals are blanked first, so a rule may quote them.
 */
final class DrlSource {

	private static final Pattern RULE_HEADER = Pattern.compile("(?m)^[ \\t]*rule[ \\t]+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)'|([\\w.$-]+))");

	// What a rule must never do to the shell that runs it: end the JVM, start other programs or
	// threads, or reach either through reflection. Checked by name, wherever it stands (a variable
	// of type Runtime, a method reference, an import), not by the shape of one call chain.
	private static final Pattern FORBIDDEN_NAME = Pattern.compile("(?<![\\w$])(?:"
			+ "Runtime|ProcessBuilder|ProcessHandle|Process"
			+ "|ThreadFactory|Executors|ExecutorService|ForkJoinPool|CompletableFuture|Timer"
			+ "|forName|getDeclaredMethods?|getDeclaredFields?|getDeclaredConstructors?|getMethods?|getConstructors?"
			+ "|setAccessible|MethodHandles?|VarHandle|ClassLoader|loadClass|defineClass|Unsafe|reflect|invoke|JShell"
			+ ")(?![\\w$])");

	// System's members that end the JVM, load native code or lift the guards; a new thread (Thread.sleep stays
	// allowed: a slow rule is stopped at the deadline); and a static import of System.
	private static final Pattern FORBIDDEN_SYSTEM = Pattern.compile(
			"(?<![\\w$])System\\s*(?:\\.|::)\\s*(?:exit|setSecurityManager|load|loadLibrary|runFinalization)(?![\\w$])(?:\\s*\\()?"
					+ "|(?<![\\w$])new\\s+(?:java\\s*\\.\\s*lang\\s*\\.\\s*)?Thread(?![\\w$])"
					+ "|(?<![\\w$])Thread\\s*(?:\\.|::)\\s*(?:ofVirtual|ofPlatform|startVirtualThread|new)(?![\\w$])"
					+ "|\\bimport\\s+static\\s+(?:java\\s*\\.\\s*lang\\s*\\.\\s*)?System(?![\\w$])");

	// Java reads \\uXXXX before anything else, so an escape could spell a name this check would miss.
	private static final Pattern UNICODE_ESCAPE = Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\u+[0-9a-fA-F]{4}");

	/** A call a rule may not make, where it is. */
	record Forbidden(String rule, int line, String call) {
	}

	private final String text;
	private final String code;

	DrlSource(String text) {
		this.text = text;
		this.code = blankCommentsAndStrings(text);
	}

	/** Each rule's name and the line of its header, in file order. */
	Map<String, Integer> ruleLines() {
		Map<String, Integer> lines = new LinkedHashMap<>();
		Matcher m = RULE_HEADER.matcher(code);
		while (m.find()) {
			// the name is a string literal, blanked in the code: read it from the original text
			String name = text.substring(m.start(), m.end()).strip().substring("rule".length()).strip();
			if (name.length() >= 2 && (name.charAt(0) == '"' || name.charAt(0) == '\'')) {
				name = name.substring(1, name.length() - 1);
			}
			lines.putIfAbsent(name, lineAt(m.start()));
		}
		return lines;
	}

	/**
	 * Every forbidden name outside comments and strings, with the rule it sits in ("" when outside
	 * any rule); and every unicode escape, even inside a comment or string, since Java reads those first.
	 */
	List<Forbidden> forbiddenCalls() {
		List<Forbidden> found = new ArrayList<>();
		for (Pattern pattern : List.of(FORBIDDEN_SYSTEM, FORBIDDEN_NAME)) {
			Matcher m = pattern.matcher(code);
			while (m.find()) {
				found.add(new Forbidden(ruleBefore(m.start()), lineAt(m.start()), m.group().replaceAll("\\s+", " ").strip()));
			}
		}
		Matcher escape = UNICODE_ESCAPE.matcher(text);
		while (escape.find()) {
			found.add(new Forbidden(ruleBefore(escape.start()), lineAt(escape.start()), "a \\u escape " + escape.group().replaceAll("^(\\\\\\\\)*", "")));
		}
		found.sort(java.util.Comparator.comparingInt(Forbidden::line));
		return found;
	}

	private String ruleBefore(int offset) {
		String rule = "";
		Matcher m = RULE_HEADER.matcher(code);
		while (m.find() && m.start() < offset) {
			String header = text.substring(m.start(), m.end()).strip().substring("rule".length()).strip();
			rule = header.length() >= 2 && (header.charAt(0) == '"' || header.charAt(0) == '\'')
					? header.substring(1, header.length() - 1) : header;
		}
		return rule;
	}

	private int lineAt(int offset) {
		int line = 1;
		for (int i = 0; i < offset; i++) {
			if (text.charAt(i) == '\n') {
				line++;
			}
		}
		return line;
	}

	/**
	 * The text with comment bodies and string contents replaced by spaces, newlines kept, so offsets
	 * and lines stay those of the file. The quotes themselves stay, so a rule header still reads {@code rule "  "}.
	 */
	static String blankCommentsAndStrings(String text) {
		StringBuilder out = new StringBuilder(text.length());
		int i = 0;
		int n = text.length();
		while (i < n) {
			char c = text.charAt(i);
			if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
				while (i < n && text.charAt(i) != '\n') {
					out.append(' ');
					i++;
				}
			}
			else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
				int end = text.indexOf("*/", i + 2);
				end = end < 0 ? n : end + 2;
				for (; i < end; i++) {
					out.append(text.charAt(i) == '\n' ? '\n' : ' ');
				}
			}
			else if (c == '"' || c == '\'') {
				out.append(c);
				i++;
				while (i < n && text.charAt(i) != c && text.charAt(i) != '\n') {
					if (text.charAt(i) == '\\' && i + 1 < n && text.charAt(i + 1) != '\n') {
						out.append("  ");
						i += 2;
						continue;
					}
					out.append(' ');
					i++;
				}
				if (i < n) {
					out.append(text.charAt(i));
					i++;
				}
			}
			else if (c == '#' && (i == 0 || text.charAt(i - 1) == '\n')) {
				// DRL also takes # line comments at the start of a line
				while (i < n && text.charAt(i) != '\n') {
					out.append(' ');
					i++;
				}
			}
			else {
				out.append(c);
				i++;
			}
		}
		return out.toString();
	}
}
