package io.virtwise.probe.kvm;

import io.virtwise.probe.core.ProbeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The probe guest's kernel and initramfs, built by scripts/build-probe-guest into a cache
 * directory: the newest build there that holds the workload.
 */
public final class ProbeGuestImage {

	/** A build: the kernel and the initramfs to boot it with. */
	public record Build(Path kernel, Path initrd) {
	}

	private final Path guestDir;

	public ProbeGuestImage(Path guestDir) {
		this.guestDir = guestDir;
	}

	public Path guestDir() {
		return guestDir;
	}

	/** The newest build holding {@code workload} (its file {@code workloads}; builds older than that file hold fio only). */
	public Build locate(String workload) {
		List<Path> candidates = new ArrayList<>();
		if (Files.isRegularFile(guestDir.resolve("vmlinuz")) && holds(guestDir, workload)) {
			candidates.add(guestDir);
		}
		if (Files.isDirectory(guestDir)) {
			try (Stream<Path> s = Files.list(guestDir)) {
				s.filter(p -> Files.isRegularFile(p.resolve("vmlinuz")) && Files.isRegularFile(p.resolve("initrd.img"))
						&& holds(p, workload))
					.forEach(candidates::add);
			}
			catch (IOException e) {
				// treated as missing
			}
		}
		Path best = candidates.stream().max(Comparator.comparing(p -> p.resolve("initrd.img").toFile().lastModified())).orElseThrow(
				() -> new ProbeException(ProbeException.Reason.UNAVAILABLE, "no probe guest with " + workload + " in " + guestDir
						+ ": build it with scripts/build-probe-guest (offline, from Debian packages)"));
		return new Build(best.resolve("vmlinuz"), best.resolve("initrd.img"));
	}

	private static boolean holds(Path build, String workload) {
		try {
			return List.of(Files.readString(build.resolve("workloads")).strip().split("\\s+")).contains(workload);
		}
		catch (IOException e) {
			return "fio".equals(workload);
		}
	}
}
