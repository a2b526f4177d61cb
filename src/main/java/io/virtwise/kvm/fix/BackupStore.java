package io.virtwise.kvm.fix;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Domain XML saved before {@code fix apply} changes a guest: {@code <dir>/<guest>-<UTC timestamp>.xml},
 * the directory 0700 and each file 0600 (the XML can hold VNC/SPICE passwords). The latest backup
 * of a guest is the one whose name sorts last.
 */
public final class BackupStore {

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
	private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
	private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

	private final Path dir;
	private final Clock clock;

	public BackupStore(Path dir) {
		this(dir, Clock.systemUTC());
	}

	public BackupStore(Path dir, Clock clock) {
		this.dir = dir;
		this.clock = clock;
	}

	public Path dir() {
		return dir;
	}

	/**
	 * Where the next backup of this guest goes: its stamp, with a counter when that name is taken.
	 * {@code fix apply} prints this path before asking and then saves to it, so the rollback line
	 * it printed names the file written.
	 */
	public Path nextPath(String guest) {
		Path file = dir.resolve(checked(guest) + "-" + STAMP.format(clock.instant()) + ".xml");
		for (int n = 1; Files.exists(file, LinkOption.NOFOLLOW_LINKS); n++) {
			String name = file.getFileName().toString();
			file = dir.resolve(name.replaceFirst("(-\\d+)?\\.xml$", "") + "-" + n + ".xml");
		}
		return file;
	}

	/** Writes the XML owner-only to the next free path, never over an existing backup; returns the file. */
	public Path save(String guest, String xml) throws IOException {
		return save(nextPath(guest), xml);
	}

	/** Writes the XML owner-only to exactly {@code file} (from {@link #nextPath}); fails if it exists by now. */
	public Path save(Path file, String xml) throws IOException {
		if (!dir.equals(file.getParent())) {
			throw new IllegalArgumentException("backup " + file + " is not in " + dir);
		}
		Files.createDirectories(dir);
		if (Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
			Files.setPosixFilePermissions(dir, DIR);
		}
		try {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
		}
		catch (UnsupportedOperationException e) {
			Files.createFile(file);
		}
		catch (FileAlreadyExistsException e) {
			throw new IOException("backup " + file + " appeared while writing it", e);
		}
		Files.writeString(file, xml, StandardOpenOption.TRUNCATE_EXISTING);
		return file;
	}

	/** This guest's backups, oldest first. */
	public List<Path> list(String guest) throws IOException {
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		Pattern mine = Pattern.compile(Pattern.quote(checked(guest)) + "-\\d{8}T\\d{6}\\.\\d{3}Z(-\\d+)?\\.xml");
		try (Stream<Path> files = Files.list(dir)) {
			return files.filter(f -> mine.matcher(f.getFileName().toString()).matches())
				.sorted(Comparator.comparing(BackupStore::sortKey))
				.toList();
		}
	}

	public Optional<Path> latest(String guest) throws IOException {
		List<Path> all = list(guest);
		return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
	}

	// stamp, then the collision counter as a number (…Z.xml before …Z-1.xml before …Z-10.xml)
	private static String sortKey(Path f) {
		String name = f.getFileName().toString();
		java.util.regex.Matcher m = Pattern.compile("-(\\d{8}T\\d{6}\\.\\d{3}Z)(?:-(\\d+))?\\.xml$").matcher(name);
		if (!m.find()) {
			return name;
		}
		return m.group(1) + String.format("%010d", m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
	}

	private static String checked(String guest) {
		if (guest == null || guest.isBlank() || guest.contains("/") || guest.startsWith(".")) {
			throw new IllegalArgumentException("not a domain name usable in a backup file name: '" + guest + "'");
		}
		return guest;
	}
}
