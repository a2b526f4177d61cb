package io.virtwise.probe.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Everything one probe run creates, and its removal: each thing is registered as it is created,
 * and {@link #close()} removes them newest first (a container before the directory it mounts, a
 * domain before the huge pages it holds), also from a JVM shutdown hook on Ctrl-C or kill. What a
 * killed run left behind is found by its run id at the next start ({@link RunId#isLeftover},
 * {@link #leftoverDirs}).
 */
public final class Scratch implements AutoCloseable {

	/** One thing the run created: its kind (container, volume, domain, directory...), its name, and how to remove it. */
	public record Item(String kind, String name, Runnable removal) {
	}

	private final RunId run;
	private final List<Item> items = new ArrayList<>();
	private boolean closed;
	private final Thread hook;

	public Scratch(RunId run, String hookName) {
		this(run, hookName, null);
	}

	/**
	 * @param onShutdown what the shutdown hook runs instead of {@link #close()}: an owner that
	 *        checks its engine first (and then closes this) so that a dead engine costs one line
	 */
	public Scratch(RunId run, String hookName, Runnable onShutdown) {
		this.run = run;
		this.hook = new Thread(onShutdown == null ? this::close : onShutdown, hookName);
		Runtime.getRuntime().addShutdownHook(hook);
	}

	public RunId run() {
		return run;
	}

	/**
	 * Registers a thing just created. Registering the same kind and name again moves it to the
	 * newest place (a domain booted once per variant is removed before what the variant added).
	 *
	 * @return false when the run was already closed (Ctrl-C while creating): the thing was removed at once
	 */
	public boolean add(String kind, String name, Runnable removal) {
		Item item = new Item(kind, name, removal);
		synchronized (this) {
			if (!closed) {
				items.removeIf(i -> i.kind().equals(kind) && i.name().equals(name));
				items.add(item);
				return true;
			}
		}
		removeQuietly(item);
		return false;
	}

	/** Removes one registered thing now (e.g. a container whose work is done); nothing if it is not registered. */
	public void removeNow(String kind, String name) {
		Item item;
		synchronized (this) {
			item = items.stream().filter(i -> i.kind().equals(kind) && i.name().equals(name)).findFirst().orElse(null);
			items.remove(item);
		}
		if (item != null) {
			removeQuietly(item);
		}
	}

	/** What is registered now, oldest first. */
	public synchronized List<Item> items() {
		return List.copyOf(items);
	}

	public synchronized boolean isClosed() {
		return closed;
	}

	/**
	 * Leaves everything in place (a kept run) and returns it, oldest first; the run counts as
	 * finished, so the next run's sweep removes it. Empty when the run was already closed.
	 */
	public List<Item> keep() {
		List<Item> kept;
		synchronized (this) {
			if (closed) {
				return List.of();
			}
			closed = true;
			kept = List.copyOf(items);
			items.clear();
		}
		deregisterHook();
		run.finished();
		return kept;
	}

	/** Removes everything registered, newest first; safe to call twice and from the shutdown hook. */
	@Override
	public void close() {
		close(item -> true);
	}

	/**
	 * Removes the registered things {@code which} accepts, newest first, and leaves the rest to the
	 * next run's sweep (e.g. only local directories when the engine no longer answers).
	 *
	 * @return false when the run was already closed or kept
	 */
	public boolean close(Predicate<Item> which) {
		List<Item> toRemove;
		synchronized (this) {
			if (closed) {
				return false;
			}
			closed = true;
			toRemove = new ArrayList<>(items);
			items.clear();
		}
		deregisterHook();
		// after Ctrl-C the thread is interrupted, and every wait for an engine would end at once
		boolean interrupted = Thread.interrupted();
		try {
			for (int i = toRemove.size() - 1; i >= 0; i--) {
				if (which.test(toRemove.get(i))) {
					removeQuietly(toRemove.get(i));
				}
			}
		}
		finally {
			// whatever could not be removed is a leftover the next run (of this process too) sweeps
			run.finished();
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		return true;
	}

	/** A failed removal must not keep the others from running; each removal reports its own failure. */
	private static void removeQuietly(Item item) {
		try {
			item.removal().run();
		}
		catch (RuntimeException e) {
			System.err.println("virtwise: could not remove probe " + item.kind() + " " + item.name() + ": " + e.getMessage());
		}
	}

	private void deregisterHook() {
		if (Thread.currentThread() == hook) {
			return;
		}
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException shuttingDown) {
			// already in shutdown: the hook is running or will find us closed
		}
	}

	/**
	 * Directories directly under {@code root} whose whole name matches {@code name} and whose run
	 * id (the pattern's first group) is a dead run's: a name that is not exactly ours belongs to
	 * someone else, whatever it starts with.
	 */
	public static List<Path> leftoverDirs(RunId run, Path root, Pattern name) {
		Instant now = Instant.now();
		List<Path> leftovers = new ArrayList<>();
		if (!Files.isDirectory(root)) {
			return leftovers;
		}
		try (Stream<Path> list = Files.list(root)) {
			for (Path dir : list.filter(Files::isDirectory).sorted().toList()) {
				Matcher m = name.matcher(dir.getFileName().toString());
				if (m.matches() && run.isLeftoverByName(m.group(1), RunId.hostname(), now)) {
					leftovers.add(dir);
				}
			}
		}
		catch (IOException e) {
			// nothing to sweep
		}
		return leftovers;
	}

	/** Deletes a directory tree, deepest first; nothing when it does not exist. */
	public static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(root)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}
}
