package io.virtwise;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package layering of docs/architecture.md, checked on the compiled classes: a package uses
 * only packages on a lower floor, so arrows point down and no cycle can form. A new package must be
 * given its floor here, which is the moment to decide where it belongs.
 */
class PackageLayersTest {

	/** Floor of each package, from the bottom. */
	static final Map<String, Integer> FLOORS = new LinkedHashMap<>();
	static {
		floor(0, "redact");
		floor(1, "facts");
		floor(2, "host", "kvm.xml", "docker.runline", "probe.core");
		floor(3, "docker.inspect", "kvm.inspect");
		floor(4, "importer", "gather");
		floor(5, "advice");
		floor(6, "advice.fix");
		floor(7, "advice.rules", "kvm.fix");
		floor(8, "probe.docker", "probe.kvm", "session");
		floor(9, "shell.view");
		floor(10, "shell");
		floor(11, "");   // the Spring Boot application, which starts the shell
	}

	private static void floor(int floor, String... packages) {
		for (String p : packages) {
			FLOORS.put(p.isEmpty() ? "io.virtwise" : "io.virtwise." + p, floor);
		}
	}

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.virtwise");

	@Test
	void everyPackageHasAFloor() {
		Set<String> unplaced = new TreeSet<>();
		for (JavaClass c : CLASSES) {
			if (!FLOORS.containsKey(c.getPackageName())) {
				unplaced.add(c.getPackageName());
			}
		}
		assertThat(unplaced).as("packages without a floor in PackageLayersTest.FLOORS").isEmpty();
		assertThat(CLASSES.size()).as("classes imported").isGreaterThan(100);
	}

	@Test
	void arrowsPointDownOnly() {
		Set<String> upward = new TreeSet<>();
		for (JavaClass c : CLASSES) {
			Integer from = FLOORS.get(c.getPackageName());
			for (Dependency d : c.getDirectDependenciesFromSelf()) {
				String target = d.getTargetClass().getPackageName();
				Integer to = FLOORS.get(target);
				if (from != null && to != null && !target.equals(c.getPackageName()) && to >= from) {
					upward.add(c.getPackageName() + " -> " + target + " (" + c.getSimpleName() + " uses "
							+ d.getTargetClass().getSimpleName() + ")");
				}
			}
		}
		assertThat(upward).as("dependencies that do not point down").isEmpty();
	}

	@Test
	void noCycleBetweenPackages() {
		slices().matching("io.virtwise.(**)").should().beFreeOfCycles().check(CLASSES);
	}
}
