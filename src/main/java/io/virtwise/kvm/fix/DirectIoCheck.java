package io.virtwise.kvm.fix;

import io.virtwise.advice.fix.KvmFixes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.sun.nio.file.ExtendedOpenOption;
import io.virtwise.facts.GuestDisk;

/**
 * Before {@code fix apply} gives a disk cache='none' (or directsync): QEMU opens its image with
 * O_DIRECT, and a filesystem that refuses it stops the guest from starting. The image is opened
 * read-only with O_DIRECT here first, which reads nothing and changes nothing.
 */
public final class DirectIoCheck {

	private DirectIoCheck() {
	}

	/** The local images whose disks go from a cached mode to cache='none' or 'directsync'. */
	public static List<Path> newlyDirect(String beforeXml, String afterXml) {
		List<Path> out = new ArrayList<>();
		for (DiskConversion.Pair p : DiskConversion.pairs(beforeXml, afterXml)) {
			GuestDisk after = p.after();
			if (direct(after.cache()) && !direct(p.before().cache()) && after.source() != null && KvmFixes.localDisk(after)) {
				out.add(Path.of(after.source()));
			}
		}
		return out;
	}

	private static boolean direct(String cache) {
		return "none".equals(cache) || "directsync".equals(cache);
	}

	/** Why the image cannot be opened with O_DIRECT here, or null when it can (or is not on this host). */
	public static String problem(Path image) {
		if (!Files.isRegularFile(image) && !Files.exists(image)) {
			return null;
		}
		try (FileChannel ignored = FileChannel.open(image, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
			return null;
		}
		catch (IOException | UnsupportedOperationException e) {
			return image + " cannot be opened with O_DIRECT here (" + e.getMessage() + "): with cache='none' the guest would not start";
		}
	}
}
