package io.virtwise.advice.rules;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class loader Drools compiles and runs the rules with: it remembers the names that are not
 * classes. MVEL tries every identifier of a constraint as a class of each imported package, and
 * each miss searched the whole class path again (most of the rules' compile time and of a first
 * evaluation). The class path does not change while virtwise runs, so a miss stays a miss.
 */
final class KnownMissingClassLoader extends ClassLoader {

	static final KnownMissingClassLoader INSTANCE = new KnownMissingClassLoader(RuleBase.class.getClassLoader());

	static {
		registerAsParallelCapable();
	}

	private final Set<String> missing = ConcurrentHashMap.newKeySet();

	private KnownMissingClassLoader(ClassLoader parent) {
		super("virtwise-rules", parent);
	}

	@Override
	protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
		if (missing.contains(name)) {
			throw new ClassNotFoundException(name);
		}
		try {
			return super.loadClass(name, resolve);
		}
		catch (ClassNotFoundException e) {
			missing.add(name);
			throw e;
		}
	}
}
