package io.virtwise.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text primitives every reader shares. Each one answers {@code null} for "cannot read"
 * or "cannot parse", never a made-up zero, so callers can pass results straight into facts.
 */
final class SysfsText {

	private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kKmMgG]?)(?:i?[bB])?");
	private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)\\]");
	// Guards against a garbage range like "0-999999999" allocating the world.
	private static final int MAX_CPU = 1 << 16;

	private SysfsText() {
	}

	/** The file's content, trimmed (possibly empty), or {@code null} when it cannot be read. */
	static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8).trim();
		}
		catch (IOException | RuntimeException e) {
			// Directories, EINVAL from sysfs attributes (e.g. speed of a down link), bad encodings.
			return null;
		}
	}

	/** The file's lines, or {@code null} when it cannot be read. */
	static List<String> readLines(Path file) {
		String text = read(file);
		return text == null ? null : text.lines().toList();
	}

	static Long parseLong(String text) {
		if (text == null) {
			return null;
		}
		try {
			return Long.parseLong(text.trim());
		}
		catch (NumberFormatException e) {
			return null;
		}
	}

	static Integer parseInt(String text) {
		if (text == null) {
			return null;
		}
		try {
			return Integer.parseInt(text.trim());
		}
		catch (NumberFormatException e) {
			return null;
		}
	}

	static Long readLong(Path file) {
		return parseLong(read(file));
	}

	static Integer readInt(Path file) {
		return parseInt(read(file));
	}

	/** Kernel booleans: Y/1 and N/0 (module parameters, sysctls); anything else is unknown. */
	static Boolean parseFlag(String text) {
		if (text == null) {
			return null;
		}
		return switch (text.trim()) {
			case "Y", "y", "1" -> true;
			case "N", "n", "0" -> false;
			default -> null;
		};
	}

	/**
	 * A kernel CPU list such as {@code 0-3,8,10-11}, sorted and distinct. An empty list is valid
	 * (a memory-only NUMA node); anything malformed is {@code null}.
	 */
	static List<Integer> parseCpuList(String text) {
		if (text == null) {
			return null;
		}
		String trimmed = text.trim();
		TreeSet<Integer> cpus = new TreeSet<>();
		if (trimmed.isEmpty()) {
			return List.of();
		}
		for (String part : trimmed.split(",")) {
			String[] range = part.trim().split("-", -1);
			Integer from = parseInt(range[0]);
			Integer to = range.length == 2 ? parseInt(range[1]) : range.length == 1 ? from : null;
			if (from == null || to == null || from < 0 || to < from || to > MAX_CPU) {
				return null;
			}
			for (int cpu = from; cpu <= to; cpu++) {
				cpus.add(cpu);
			}
		}
		return List.copyOf(cpus);
	}

	/** A size such as {@code 2048K}, {@code 491520K}, {@code 24684084 kB} or {@code 32M}, in KiB. */
	static Long parseSizeKb(String text) {
		if (text == null) {
			return null;
		}
		Matcher m = SIZE.matcher(text.trim());
		if (!m.matches() || m.group(2).isEmpty()) {
			// A bare number carries no unit; guessing one would invent a value.
			return null;
		}
		Long value = parseLong(m.group(1));
		if (value == null) {
			return null;
		}
		return switch (m.group(2).toUpperCase(Locale.ROOT)) {
			case "K" -> value;
			case "M" -> value * 1024;
			case "G" -> value * 1024 * 1024;
			default -> null;
		};
	}

	/**
	 * The selected choice of a sysfs mode file such as {@code always [madvise] never}. A file with a
	 * single word and no brackets (a scheduler file showing only {@code none}) selects that word.
	 */
	static String selectedMode(String text) {
		if (text == null) {
			return null;
		}
		Matcher m = BRACKETED.matcher(text);
		if (m.find()) {
			return m.group(1).trim();
		}
		String trimmed = text.trim();
		return !trimmed.isEmpty() && trimmed.split("\\s+").length == 1 ? trimmed : null;
	}

	/**
	 * {@code key: value} lines (meminfo, one cpuinfo block), first occurrence wins. Keys and values
	 * are trimmed; lines without a colon are skipped.
	 */
	static Map<String, String> colonFields(List<String> lines) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : lines) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
			}
		}
		return fields;
	}

	/** Undoes the octal escapes (space as {@code \040}) the kernel writes in /proc/mounts. */
	static String unescapeMountField(String field) {
		StringBuilder out = new StringBuilder(field.length());
		for (int i = 0; i < field.length(); i++) {
			char c = field.charAt(i);
			if (c == '\\' && i + 3 < field.length() && isOctal(field, i + 1)) {
				out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
				i += 3;
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	private static boolean isOctal(String s, int from) {
		for (int i = from; i < from + 3; i++) {
			if (s.charAt(i) < '0' || s.charAt(i) > '7') {
				return false;
			}
		}
		return true;
	}

	/**
	 * Children of {@code dir} named {@code prefix} followed by a number (cpu12, node1, index3),
	 * ordered by that number; {@code null} when the directory cannot be listed.
	 */
	static List<Numbered> numberedChildren(Path dir, String prefix) {
		Pattern name = Pattern.compile(Pattern.quote(prefix) + "(\\d+)");
		List<Numbered> found = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path entry : entries) {
				Matcher m = name.matcher(entry.getFileName().toString());
				if (m.matches() && m.group(1).length() < 10) {
					found.add(new Numbered(Integer.parseInt(m.group(1)), entry));
				}
			}
		}
		catch (IOException | RuntimeException e) {
			return null;
		}
		found.sort(Comparator.comparingInt(Numbered::number));
		return found;
	}

	/** Names of the entries of {@code dir}, sorted; {@code null} when it cannot be listed. */
	static List<String> childNames(Path dir) {
		List<String> names = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
			for (Path entry : entries) {
				names.add(entry.getFileName().toString());
			}
		}
		catch (IOException | RuntimeException e) {
			return null;
		}
		names.sort(null);
		return names;
	}

	record Numbered(int number, Path path) {
	}
}
