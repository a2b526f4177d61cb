package io.virtwise.docker.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem under the engine's root, read from a mount table. */
class LocalHostTest {

	// /proc/mounts lines as this machine shows them (the root and /var/lib/docker on ext4) and as an
	// xfs data disk mounted at /var/lib/docker would
	static final List<String> MOUNTS = List.of(
			"/dev/vda / ext4 rw,relatime,discard 0 0",
			"proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
			"/dev/vdb /var/lib/docker xfs rw,relatime,attr2,inode64,logbufs=8,logbsize=32k,noquota 0 0",
			"overlay /var/lib/docker/overlay2/aaad/merged overlay rw,relatime,lowerdir=/x,upperdir=/y,workdir=/z 0 0",
			"/dev/vdc /srv/docker\\040data ext4 rw 0 0");

	@Test
	void theLongestMountPointHoldingTheDirectoryGivesItsFilesystem() {
		assertThat(LocalHost.filesystemOf(MOUNTS, "/var/lib/docker")).isEqualTo("xfs");
		assertThat(LocalHost.filesystemOf(MOUNTS, "/var/lib/dockerd")).isEqualTo("ext4");
		assertThat(LocalHost.filesystemOf(MOUNTS, "/srv/docker data/root")).isEqualTo("ext4");
		assertThat(LocalHost.filesystemOf(MOUNTS.subList(1, 2), "/var/lib/docker")).isNull();
	}

	@Test
	void onlyARootDirectorySeenHereWithTheDriversImageStoreIsRead(@TempDir Path tmp) throws IOException {
		Path proc = Files.createDirectories(tmp.resolve("proc"));
		Path root = tmp.resolve("docker");
		Files.write(proc.resolve("mounts"), List.of("/dev/vda / ext4 rw 0 0", "/dev/vdb " + root + " xfs rw 0 0"));
		LocalHost local = new LocalHost(proc, new ContainerWrites(proc, LocalHost.WINDOW));

		// an engine whose root is elsewhere (a VM, another mount namespace): unknown, not this host's disk
		assertThat(local.filesystemOf(root.toString(), "vfs")).isNull();
		Files.createDirectories(root.resolve("image").resolve("vfs"));
		assertThat(local.filesystemOf(root.toString(), "vfs")).isEqualTo("xfs");
		assertThat(local.filesystemOf(root.toString(), null)).isNull();
	}

	@Test
	void onlyALocalSocketHasALocalHost() {
		assertThat(LocalHost.forEngine("unix:///var/run/docker.sock")).isNotNull();
		assertThat(LocalHost.forEngine("tcp://10.0.0.5:2376")).isNull();
		assertThat(LocalHost.forEngine(null)).isNull();
	}
}
