package io.virtwise.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import org.junit.jupiter.api.Test;

/**
 * docs/writing-rules.md lists every field a rule can see; this keeps that list true to the records,
 * so a rule author never reads about a field that is gone or misses one that was added.
 */
class FactsModelDocTest {

	static final Path DOC = Path.of("docs/writing-rules.md");
	static final String SECTION = "## The facts model, field by field";

	@Test
	void everyFactsRecordHasItsFieldsListedWithTheirTypes() throws IOException {
		Map<String, List<String>> documented = documentedRows();
		Map<String, List<String>> expected = new LinkedHashMap<>();
		for (Class<?> record : recordsReachableFrom(Facts.class)) {
			List<String> rows = new ArrayList<>();
			for (RecordComponent component : record.getRecordComponents()) {
				rows.add("| `" + component.getName() + "` | `" + typeName(component.getGenericType()) + "` |");
			}
			expected.put(headingOf(record), rows);
		}

		assertThat(documented.keySet()).as("#### headings under '%s' in %s", SECTION, DOC)
			.containsExactlyInAnyOrderElementsOf(expected.keySet());
		expected.forEach((record, rows) -> assertThat(documented.get(record))
			.as("field rows (name and type) of %s in %s", record, DOC)
			.containsExactlyElementsOf(rows));
	}

	@Test
	void theWalkFindsNestedRecordsThroughListsAndOwners() {
		Set<Class<?>> records = recordsReachableFrom(Facts.class);

		assertThat(records).contains(Facts.class, HostFacts.class, GuestDisk.class, MountInfo.class, KvmNodeFacts.Cell.class);
		assertThat(records).allMatch(Class::isRecord);
	}

	/** Per record heading, the "| `field` | `Type` |" start of each table row below it. */
	static Map<String, List<String>> documentedRows() throws IOException {
		String text = Files.readString(DOC);
		int start = text.indexOf(SECTION);
		assertThat(start).as("%s has a section '%s'", DOC, SECTION).isNotNegative();
		Map<String, List<String>> rows = new LinkedHashMap<>();
		List<String> current = null;
		for (String line : text.substring(start).split("\n")) {
			if (line.startsWith("#### ")) {
				current = new ArrayList<>();
				rows.put(line.substring(5).trim(), current);
			}
			else if (line.startsWith("## ") && !line.startsWith(SECTION)) {
				break;
			}
			else if (current != null && line.startsWith("| `")) {
				// the field and its type; the meaning column after them is prose
				int afterType = line.indexOf("` |", line.indexOf("` | `") + 5);
				current.add(afterType < 0 ? line : line.substring(0, afterType + 3));
			}
		}
		return rows;
	}

	static Set<Class<?>> recordsReachableFrom(Class<?> root) {
		Set<Class<?>> seen = new LinkedHashSet<>();
		visit(root, seen);
		return seen;
	}

	private static void visit(Type type, Set<Class<?>> seen) {
		if (type instanceof ParameterizedType parameterized) {
			for (Type argument : parameterized.getActualTypeArguments()) {
				visit(argument, seen);
			}
		}
		else if (type instanceof Class<?> record && record.isRecord() && seen.add(record)) {
			for (RecordComponent component : record.getRecordComponents()) {
				visit(component.getGenericType(), seen);
			}
		}
	}

	/** {@code KvmNodeFacts.Cell} for a nested record, so two nested {@code Cell}s cannot collide. */
	static String headingOf(Class<?> record) {
		return record.getName().substring(record.getPackageName().length() + 1).replace('$', '.');
	}

	static String typeName(Type type) {
		if (type instanceof ParameterizedType parameterized) {
			StringJoiner arguments = new StringJoiner(", ", ((Class<?>) parameterized.getRawType()).getSimpleName() + "<", ">");
			for (Type argument : parameterized.getActualTypeArguments()) {
				arguments.add(typeName(argument));
			}
			return arguments.toString();
		}
		return type instanceof Class<?> plain ? plain.getSimpleName() : type.getTypeName();
	}
}
