package io.virtwise.advice.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.drools.base.common.DroolsObjectInputStream;
import org.drools.base.common.DroolsObjectOutputStream;
import org.drools.core.impl.KnowledgeBaseImpl;
import org.kie.api.definition.KiePackage;

/**
 * Compiled rule packages kept between runs, so a start with unchanged rules skips the DRL
 * compilation. An entry is keyed by the rules' content and everything that shapes the compiled
 * classes (this build of virtwise, Drools, the Java version), so a change to any of them misses;
 * an entry that cannot be read back for any reason is ignored and replaced.
 */
public final class RuleBaseCache {

	private static final String SUFFIX = ".rules";
	private static final int KEPT = 4; // a few rule folders or versions side by side, not one file per edit

	private final Path directory;

	public RuleBaseCache(Path directory) {
		this.directory = directory;
	}

	public Path directory() {
		return directory;
	}

	/** The cache key of rules with this content hash, for this build and runtime. */
	static String key(String contentHash) {
		MessageDigest digest = sha256();
		for (String part : List.of(contentHash, buildIdentity(), version(KnowledgeBaseImpl.class),
				System.getProperty("java.specification.version", "?"))) {
			digest.update(part.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/** The packages stored under this key, or empty when there are none or they cannot be read back. */
	Optional<Collection<KiePackage>> read(String key, ClassLoader classLoader) {
		Path file = directory.resolve(key + SUFFIX);
		if (!Files.isRegularFile(file)) {
			return Optional.empty();
		}
		try (InputStream in = Files.newInputStream(file);
				DroolsObjectInputStream objects = new DroolsObjectInputStream(in, classLoader)) {
			List<KiePackage> packages = new ArrayList<>();
			for (Object o : (List<?>) objects.readObject()) {
				packages.add((KiePackage) o);
			}
			return Optional.of(packages);
		}
		catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
			return Optional.empty(); // corrupt, truncated or from another build: compile instead
		}
	}

	/** Stores the packages; a cache that cannot be written only costs the next start its compilation. */
	void write(String key, Collection<KiePackage> packages) {
		Path file = directory.resolve(key + SUFFIX);
		Path temp = null;
		try {
			Files.createDirectories(directory);
			temp = Files.createTempFile(directory, key, ".tmp");
			try (OutputStream out = Files.newOutputStream(temp);
					DroolsObjectOutputStream objects = new DroolsObjectOutputStream(out)) {
				objects.writeObject(new ArrayList<>(packages));
			}
			try {
				Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException e) {
				Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
			}
			temp = null;
			pruneOldEntries(file);
		}
		catch (IOException | RuntimeException e) {
			// read-only home, full disk, a package that does not serialise: run without the cache
		}
		finally {
			if (temp != null) {
				try {
					Files.deleteIfExists(temp);
				}
				catch (IOException ignored) {
					// left for the next write to overwrite under another name; harmless
				}
			}
		}
	}

	private void pruneOldEntries(Path keep) throws IOException {
		try (Stream<Path> entries = Files.list(directory)) {
			List<Path> old = entries.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && !p.equals(keep))
				.sorted((a, b) -> Long.compare(b.toFile().lastModified(), a.toFile().lastModified()))
				.toList();
			for (Path p : old.subList(Math.min(old.size(), KEPT - 1), old.size())) {
				Files.deleteIfExists(p);
			}
		}
	}

	/**
	 * This build of virtwise: compiled consequences call its classes, so a rebuild with the same
	 * version number must miss too. The jar's size and time, or the newest class of a classes folder.
	 */
	private static String buildIdentity() {
		try {
			CodeSource source = RuleBaseCache.class.getProtectionDomain().getCodeSource();
			if (source == null || source.getLocation() == null) {
				return "?";
			}
			Path location = localPath(source.getLocation());
			if (Files.isRegularFile(location)) {
				return location + ":" + Files.size(location) + ":" + Files.getLastModifiedTime(location).toMillis();
			}
			try (Stream<Path> classes = Files.walk(location)) {
				return location + ":" + classes.filter(p -> p.toString().endsWith(".class"))
					.mapToLong(p -> p.toFile().lastModified()).max().orElse(0);
			}
		}
		catch (IOException | URISyntaxException | RuntimeException e) {
			return String.valueOf(System.nanoTime()); // unknown build: never reuse what it wrote
		}
	}

	/** The file or folder of a code source; a class inside Spring Boot's jar is {@code jar:nested:/app.jar/!BOOT-INF/classes/!/}. */
	static Path localPath(URL location) throws URISyntaxException {
		String text = location.toString();
		if (text.startsWith("jar:nested:")) {
			String path = text.substring("jar:nested:".length());
			int inner = path.indexOf("/!");
			return Path.of(new URI("file", null, inner < 0 ? path : path.substring(0, inner), null));
		}
		return Path.of(location.toURI());
	}

	private static String version(Class<?> type) {
		String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
		if (version != null) {
			return version;
		}
		CodeSource source = type.getProtectionDomain().getCodeSource();
		return source == null ? "?" : String.valueOf(source.getLocation());
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
