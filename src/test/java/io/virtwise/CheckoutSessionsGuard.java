package io.virtwise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test class that adds, changes or removes anything in the checkout's {@code sessions/},
 * which ships the example sessions only. Registered for every test class (junit-platform.properties
 * turns on extension auto-detection), unit and integration alike.
 */
public final class CheckoutSessionsGuard implements BeforeAllCallback, AfterAllCallback {

	static final Path CHECKOUT_SESSIONS = Path.of("sessions");

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CheckoutSessionsGuard.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		context.getStore(NAMESPACE).put("before", snapshot(CHECKOUT_SESSIONS));
	}

	@Override
	@SuppressWarnings("unchecked")
	public void afterAll(ExtensionContext context) {
		Map<String, String> before = context.getStore(NAMESPACE).get("before", Map.class);
		List<String> changes = changes(before, snapshot(CHECKOUT_SESSIONS));
		if (!changes.isEmpty()) {
			throw new AssertionError(context.getDisplayName() + " wrote into the checkout's sessions/ (give it a temporary "
					+ "sessions folder: --sessions DIR, VIRTWISE_SESSIONS or -Dvirtwise.sessions): " + changes);
		}
	}

	/** Each file's name to its size and modification time: enough to see a journal appended to. */
	static Map<String, String> snapshot(Path folder) {
		Map<String, String> files = new TreeMap<>();
		try (Stream<Path> list = Files.list(folder)) {
			for (Path f : list.toList()) {
				files.put(f.getFileName().toString(), Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis());
			}
		}
		catch (NoSuchFileException e) {
			// no folder, nothing to guard
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return files;
	}

	static List<String> changes(Map<String, String> before, Map<String, String> after) {
		List<String> changes = new ArrayList<>();
		after.forEach((name, state) -> {
			if (!before.containsKey(name)) {
				changes.add("added " + name);
			}
			else if (!before.get(name).equals(state)) {
				changes.add("changed " + name);
			}
		});
		before.keySet().stream().filter(name -> !after.containsKey(name)).forEach(name -> changes.add("removed " + name));
		return changes;
	}
}
