package io.virtwise.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The captured trees under src/test/resources/fixtures/host. They are read from the source tree,
 * not the classpath, because resource copying would follow the device/driver symlinks.
 */
final class HostFixtures {

	static final Path ROOT = Path.of("src/test/resources/fixtures/host");

	/** Captured from a Firecracker micro-VM with PVM-flavoured KVM (see capture.sh). */
	static final Path FIRECRACKER = ROOT.resolve("firecracker-pvm");

	/** Made up: 2 sockets x 4 cores x 2 threads, 2 NUMA nodes (see make-two-socket-ht.sh). */
	static final Path TWO_SOCKET = ROOT.resolve("two-socket-ht");

	private HostFixtures() {
	}

	static HostRoots firecracker() {
		return HostRoots.under(FIRECRACKER);
	}

	static HostRoots twoSocket() {
		return HostRoots.under(TWO_SOCKET);
	}

	/** Copies a fixture keeping symlinks as symlinks, so a test may damage the copy. */
	static Path copy(Path fixture, Path target) {
		try (Stream<Path> paths = Files.walk(fixture)) {
			for (Path source : paths.toList()) {
				Path dest = target.resolve(fixture.relativize(source).toString());
				if (Files.isSymbolicLink(source)) {
					Files.createDirectories(dest.getParent());
					Files.createSymbolicLink(dest, Files.readSymbolicLink(source));
				}
				else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
					Files.createDirectories(dest);
				}
				else {
					Files.copy(source, dest, StandardCopyOption.COPY_ATTRIBUTES);
				}
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return target;
	}

	static void write(Path file, String content) {
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, content);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static void delete(Path file) {
		try {
			Files.delete(file);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Root ignores file modes, so unreadability is simulated with a directory in place of the file. */
	static void replaceWithDirectory(Path file) {
		try {
			Files.delete(file);
			Files.createDirectory(file);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
