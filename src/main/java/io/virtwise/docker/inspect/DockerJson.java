package io.virtwise.docker.inspect;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading Docker's JSON, where "not set" comes as a missing field, {@code null}, {@code ""} or
 * {@code 0} depending on the field and the engine version. Every reader answers {@code null}
 * for all of those, so facts say "unknown" rather than a made-up value.
 */
public final class DockerJson {

	private DockerJson() {
	}

	/** The node at a path of field names, or a missing node. */
	static JsonNode at(JsonNode node, String... path) {
		JsonNode current = node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
		for (String field : path) {
			current = current.path(field);
		}
		return current;
	}

	static boolean present(JsonNode node) {
		return node != null && !node.isMissingNode() && !node.isNull();
	}

	/** Text at the path, or null when missing, null or blank. */
	public static String text(JsonNode node, String... path) {
		JsonNode value = at(node, path);
		if (!present(value) || value.isContainerNode()) {
			return null;
		}
		String text = value.asText();
		return text.isBlank() ? null : text;
	}

	/** A number at the path, or null when missing or null (zero stays zero: callers decide). */
	static Long number(JsonNode node, String... path) {
		JsonNode value = at(node, path);
		if (!present(value)) {
			return null;
		}
		if (value.isNumber()) {
			return value.asLong();
		}
		try {
			return Long.parseLong(value.asText().trim());
		}
		catch (NumberFormatException e) {
			return null;
		}
	}

	/** A positive number at the path; Docker writes 0 for "no limit". */
	static Long positive(JsonNode node, String... path) {
		Long value = number(node, path);
		return value == null || value <= 0 ? null : value;
	}

	static Boolean bool(JsonNode node, String... path) {
		JsonNode value = at(node, path);
		if (!present(value)) {
			return null;
		}
		if (value.isBoolean()) {
			return value.asBoolean();
		}
		String text = value.asText();
		return "true".equalsIgnoreCase(text) ? Boolean.TRUE : "false".equalsIgnoreCase(text) ? Boolean.FALSE : null;
	}

	/** A string array at the path; empty when missing or null (Docker writes null for "none"). */
	static List<String> strings(JsonNode node, String... path) {
		JsonNode value = at(node, path);
		List<String> out = new ArrayList<>();
		if (value.isArray()) {
			value.forEach(v -> {
				if (!v.isNull()) {
					out.add(v.asText());
				}
			});
		}
		return out;
	}

	/** A string-to-string object at the path, keys sorted; empty when missing or null. */
	static Map<String, String> stringMap(JsonNode node, String... path) {
		JsonNode value = at(node, path);
		Map<String, String> out = new TreeMap<>();
		if (value.isObject()) {
			value.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
		}
		return out;
	}

	/** The fields of an object at the path, in document order; empty when missing or null. */
	static Map<String, JsonNode> fields(JsonNode node, String... path) {
		JsonNode value = at(node, path);
		Map<String, JsonNode> out = new LinkedHashMap<>();
		if (value.isObject()) {
			for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> e = it.next();
				out.put(e.getKey(), e.getValue());
			}
		}
		return out;
	}
}
