package io.virtwise.session;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.ProbeResult;

/**
 * Before/after of two sessions: each side is the last facts and recommendations it recorded.
 * Probe figures are paired by probe, path, metric, subject and placement and compared as B/A.
 */
public record SessionDiff(
		String before,
		String after,
		List<ProbeChange> probes,
		List<String> disappeared,
		List<String> appeared,
		List<String> changedSeverity,
		List<FactChange> facts) {

	public record ProbeChange(String key, String unit, double before, double after) {

		public double ratio() {
			return before == 0 ? Double.NaN : after / before;
		}
	}

	public record FactChange(String path, String before, String after) {
	}

	public static SessionDiff of(RecordedSession a, RecordedSession b) throws SessionFileException {
		Facts factsA = lastFacts(a);
		Facts factsB = lastFacts(b);
		List<String> recsA = lastRecommendations(a);
		List<String> recsB = lastRecommendations(b);
		return new SessionDiff(a.displayName(), b.displayName(), probeChanges(factsA, factsB),
				minus(recsA, recsB), minus(recsB, recsA), severityChanges(recsA, recsB), factChanges(factsA, factsB));
	}

	private static Facts lastFacts(RecordedSession s) throws SessionFileException {
		for (int i = s.commands().size() - 1; i >= 0; i--) {
			if (s.commands().get(i).facts() != null) {
				return s.commands().get(i).facts();
			}
		}
		throw new SessionFileException("session " + s.displayName() + " recorded no facts (run advise or a probe in it)");
	}

	private static List<String> lastRecommendations(RecordedSession s) {
		for (int i = s.commands().size() - 1; i >= 0; i--) {
			if (s.commands().get(i).recommendations() != null) {
				return s.commands().get(i).recommendations();
			}
		}
		return List.of();
	}

	/** Recommendation entries are "SEVERITY ID SUBJECT"; identity is the id and subject. */
	private static String identity(String entry) {
		int space = entry.indexOf(' ');
		return space < 0 ? entry : entry.substring(space + 1);
	}

	private static List<String> minus(List<String> from, List<String> other) {
		Set<String> otherIds = new LinkedHashSet<>();
		other.forEach(e -> otherIds.add(identity(e)));
		return from.stream().filter(e -> !otherIds.contains(identity(e))).sorted().toList();
	}

	private static List<String> severityChanges(List<String> a, List<String> b) {
		Map<String, String> before = new TreeMap<>();
		a.forEach(e -> before.put(identity(e), e));
		List<String> out = new ArrayList<>();
		for (String e : b) {
			String old = before.get(identity(e));
			if (old != null && !old.equals(e)) {
				out.add(identity(e) + ": " + old.substring(0, old.indexOf(' ')) + " -> " + e.substring(0, e.indexOf(' ')));
			}
		}
		return out;
	}

	private static List<ProbeChange> probeChanges(Facts a, Facts b) {
		Map<String, ProbeResult> before = new LinkedHashMap<>();
		a.probes().forEach(p -> before.put(key(p), p));
		List<ProbeChange> out = new ArrayList<>();
		for (ProbeResult p : b.probes()) {
			ProbeResult old = before.get(key(p));
			if (old != null) {
				out.add(new ProbeChange(key(p), p.unit(), old.median(), p.median()));
			}
		}
		return out;
	}

	private static String key(ProbeResult p) {
		return String.join(" ", Objects.toString(p.probe(), "?"), Objects.toString(p.path(), "?"),
				Objects.toString(p.metric(), "?"), Objects.toString(p.subject(), "?"),
				p.placement() == null ? "" : p.placement()).strip();
	}

	private static List<FactChange> factChanges(Facts a, Facts b) {
		Map<String, String> before = new TreeMap<>();
		Map<String, String> after = new TreeMap<>();
		flatten("", FactsJson.MAPPER.valueToTree(a.withProbes(List.of()).withSource(null)), before);
		flatten("", FactsJson.MAPPER.valueToTree(b.withProbes(List.of()).withSource(null)), after);
		before.remove("collectedAt");
		after.remove("collectedAt");
		Set<String> paths = new LinkedHashSet<>(before.keySet());
		paths.addAll(after.keySet());
		List<FactChange> out = new ArrayList<>();
		for (String path : new java.util.TreeSet<>(paths)) {
			String x = before.get(path);
			String y = after.get(path);
			if (!Objects.equals(x, y)) {
				out.add(new FactChange(path, x == null ? "(absent)" : x, y == null ? "(absent)" : y));
			}
		}
		return out;
	}

	private static boolean allScalars(JsonNode array) {
		for (JsonNode item : array) {
			if (item.isContainerNode()) {
				return false;
			}
		}
		return true;
	}

	private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
		if (node.isObject()) {
			Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> f = fields.next();
				flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
			}
		}
		else if (node.isArray() && allScalars(node)) {
			// a CPU list or node list reads best whole: "0-3" -> "0-3, 16-19"
			List<String> values = new ArrayList<>();
			node.forEach(v -> values.add(v.asText()));
			out.put(prefix, "[" + String.join(", ", values) + "]");
		}
		else if (node.isArray()) {
			// containers and guests by name, huge page pools by size: positions shift, names do not
			for (int i = 0; i < node.size(); i++) {
				JsonNode item = node.get(i);
				String label = item.hasNonNull("name") ? item.get("name").asText()
						: item.hasNonNull("pageSizeKb") ? item.get("pageSizeKb").asText() + "kB"
						: item.hasNonNull("id") && item.get("id").isInt() ? "node" + item.get("id").asText() : String.valueOf(i);
				flatten(prefix + "[" + label + "]", item, out);
			}
		}
		else if (!node.isNull()) {
			out.put(prefix, node.asText());
		}
	}
}
