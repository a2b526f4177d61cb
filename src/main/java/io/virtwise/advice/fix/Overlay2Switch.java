package io.virtwise.advice.fix;

import io.virtwise.advice.Recommendation;
import java.util.Set;

import io.virtwise.docker.runline.ShellQuoting;
import io.virtwise.facts.EngineFacts;

/**
 * Moving an engine to the overlay2 storage driver. overlay2 needs a filesystem under the engine's
 * root that fills in d_type (ext4 always does; xfs only when made with {@code ftype=1}, which only
 * mkfs sets); on one that does not, dockerd refuses to start with it. That is usually why an engine
 * runs vfs: so the daemon.json change is printed behind a check of the filesystem that changes
 * nothing when it fails, or not at all when the facts already say overlay2 cannot work there.
 * Static for DRL.
 */
public final class Overlay2Switch {

	static final String CONFIG = "/etc/docker/daemon.json";
	static final String BACKUP = CONFIG + ".virtwise-bak";

	// what overlay2 is supported on (Docker's storage driver documentation): ext4, and xfs with ftype=1
	private static final Set<String> SUPPORTED = Set.of("ext4", "ext3", "ext2", "xfs");

	private Overlay2Switch() {
	}

	/** Why overlay2 cannot run under this engine's root, as far as the facts know; null when it may. */
	public static String blocker(EngineFacts e) {
		String root = root(e);
		if (Boolean.FALSE.equals(e.supportsDType())) {
			return "the filesystem under " + root + " does not support d_type (docker info: Supports d_type: false)";
		}
		if (e.rootFilesystem() != null && !SUPPORTED.contains(e.rootFilesystem())) {
			return root + " is on " + e.rootFilesystem() + ", and overlay2 is supported on ext4 and on xfs with ftype=1";
		}
		return null;
	}

	/** The fix and its rollback: the check, the backup and the change, or why none is printed. */
	public static Recommendation.Builder addTo(Recommendation.Builder b, EngineFacts e) {
		String root = root(e);
		String dir = ShellQuoting.quote(root);
		String blocker = blocker(e);
		if (blocker != null) {
			return b.fix("# no driver change printed: " + blocker + "; dockerd would refuse to start with overlay2 there")
				.fix("# what to do: give " + root + " a filesystem of its own, ext4 (always has d_type) or xfs made with mkfs.xfs -n "
						+ "ftype=1 (ftype is set only when the filesystem is made); stop dockerd, move " + root
						+ " onto it, then set \"storage-driver\": \"overlay2\" in " + CONFIG);
		}
		String fsCheck = "case \"$(stat -f -c %T " + dir + ")\" in ext2/ext3) ;; xfs) xfs_info \"$(stat -c %m " + dir
				+ ")\" | grep -q ftype=1 ;; *) false ;; esac";
		String change = fsCheck + " && command -v jq >/dev/null && ! pgrep -a dockerd | grep -qE -- ' (-s|--storage-driver|--config-file)[ =]'"
				+ " && [ ! -e " + BACKUP + " ] && { if [ -e " + CONFIG + " ]; then cp -p " + CONFIG + " " + BACKUP + "; else echo '{}' > "
				+ BACKUP + "; fi; } && jq '.\"storage-driver\" = \"overlay2\"' " + BACKUP + " > " + CONFIG + ".virtwise-new && mv "
				+ CONFIG + ".virtwise-new " + CONFIG;
		return b.fix("docker ps -a --format '{{.Names}}\\t{{.Image}}'   # what exists now: containers and images do not carry over")
			.fix("docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -v '<none>' | xargs -r docker save -o /var/tmp/virtwise-images.tar"
					+ "   # every tagged image, to load again (docker system df shows the space it takes)")
			.fix("# overlay2 needs d_type from the filesystem under " + root + ": ext4 always has it, xfs only when made with ftype=1 "
					+ "(mkfs.xfs -n ftype=1; it cannot be changed later), else dockerd refuses to start. The next line changes "
					+ CONFIG + " (keeping the old one as " + BACKUP + ") only after checking that, that jq is there, and that "
					+ "dockerd takes no storage driver or config file on its command line")
			.fix(change)
			.fix("[ \"$(jq -r '.\"storage-driver\"' " + CONFIG + " 2>/dev/null)\" = overlay2 ] && systemctl restart docker"
					+ "   # stops every container; those with a restart policy come back once re-created under overlay2")
			.fix("docker load -i /var/tmp/virtwise-images.tar   # then re-create each container from its run line")
			.rollback("[ -e " + BACKUP + " ] && mv " + BACKUP + " " + CONFIG + " && systemctl restart docker   # the "
					+ (e.storageDriver() == null ? "old driver's" : e.storageDriver()) + " images and containers come back: "
					+ "overlay2 keeps its own beside them");
	}

	private static String root(EngineFacts e) {
		return e.rootDir() != null ? e.rootDir() : "/var/lib/docker";
	}
}
