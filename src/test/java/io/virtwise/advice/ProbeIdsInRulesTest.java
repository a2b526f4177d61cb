package io.virtwise.advice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.virtwise.facts.Metrics;
import io.virtwise.facts.ProbePaths;
import io.virtwise.facts.Probes;
import io.virtwise.kvm.inspect.PassiveStats;
import io.virtwise.probe.docker.NetworkProbe;
import io.virtwise.probe.docker.StorageProbe;
import io.virtwise.probe.kvm.GuestCpuProbe;
import io.virtwise.probe.kvm.GuestIoProbe;
import org.junit.jupiter.api.Test;

/**
 * The rules name probe ids, paths and metrics only through the constants the probes emit them with,
 * so a renamed id fails to compile instead of leaving a rule that never fires.
 */
class ProbeIdsInRulesTest {

	// a ProbeResult field compared with a literal, or a literal in an 'in (...)' list of one
	private static final Pattern LITERAL_MATCH = Pattern.compile(
			"\\b(probe|path|metric|placement)\\s*(==|!=)\\s*\"|\\b(probe|path|metric|placement)\\s+(not\\s+)?in\\s*\\([^)]*\"");
	// the helpers that take ids as arguments
	private static final Pattern LITERAL_ARGUMENT = Pattern.compile("(ProbeGap\\.(of|widest)|KvmIoFigures\\.attachPassive)\\([^;]*\"");
	private static final Pattern CONSTANT_USE = Pattern.compile("\\b(Probes|ProbePaths|Metrics)\\.([A-Z][A-Z0-9_]*)\\b");

	@Test
	void noRuleComparesAProbeIdWithAStringLiteral() throws IOException {
		List<String> found = new ArrayList<>();
		for (Path drl : rules()) {
			List<String> lines = Files.readAllLines(drl);
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				if (LITERAL_MATCH.matcher(line).find() || LITERAL_ARGUMENT.matcher(line).find()) {
					found.add(drl.getFileName() + ":" + (i + 1) + ": " + line.strip());
				}
			}
		}
		assertThat(found).isEmpty();
	}

	@Test
	void everyIdTheRulesUseIsADeclaredConstant() throws Exception {
		Set<String> used = new HashSet<>();
		for (Path drl : rules()) {
			Matcher m = CONSTANT_USE.matcher(Files.readString(drl));
			while (m.find()) {
				used.add(m.group(1) + "." + m.group(2));
			}
		}
		assertThat(used).as("the rules match probe results through the constants").isNotEmpty();
		for (String use : used) {
			Class<?> owner = Class.forName("io.virtwise.facts." + use.substring(0, use.indexOf('.')));
			owner.getField(use.substring(use.indexOf('.') + 1));
		}
	}

	@Test
	void eachProbeEmitsADeclaredIdAndEveryDeclaredIdHasAProbe() {
		assertThat(Set.of(NetworkProbe.PROBE, StorageProbe.PROBE, GuestCpuProbe.PROBE, GuestIoProbe.PROBE, PassiveStats.PROBE))
			.isEqualTo(Probes.ALL);
	}

	@Test
	void theComparedMetricsAreDeclared() {
		assertThat(Metrics.ALL).containsAll(ProbeGap.MORE_IS_BETTER);
	}

	@Test
	void eachListHoldsEveryConstantOfItsClass() throws IllegalAccessException {
		assertThat(Probes.ALL).containsExactlyInAnyOrderElementsOf(constants(Probes.class));
		assertThat(Metrics.ALL).containsExactlyInAnyOrderElementsOf(constants(Metrics.class));
		Set<String> paths = new HashSet<>(ProbePaths.ALL);
		paths.addAll(ProbePaths.PLACEMENTS);
		assertThat(paths).containsExactlyInAnyOrderElementsOf(constants(ProbePaths.class));
	}

	private static List<String> constants(Class<?> owner) throws IllegalAccessException {
		List<String> out = new ArrayList<>();
		for (Field f : owner.getFields()) {
			if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
				out.add((String) f.get(null));
			}
		}
		return out;
	}

	private static List<Path> rules() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("rules"))) {
			List<Path> drl = files.filter(p -> p.toString().endsWith(".drl")).sorted().toList();
			assertThat(drl).isNotEmpty();
			return drl;
		}
	}
}
