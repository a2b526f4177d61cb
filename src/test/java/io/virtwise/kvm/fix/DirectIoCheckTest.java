package io.virtwise.kvm.fix;

import io.virtwise.kvm.inspect.KvmFixtures;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The O_DIRECT check fix apply makes before it gives a disk cache='none'. */
class DirectIoCheckTest {

	@Test
	void onlyDisksThatBecomeDirectAreChecked() {
		String before = KvmFixtures.text("untuned-domain.xml");
		String after = before.replace("cache='writeback'", "cache='none' io='native'");

		assertThat(DirectIoCheck.newlyDirect(before, after)).containsExactly(Path.of("/var/tmp/vw-kvm-cap.OMK7aV/vw-untuned.qcow2"));
		assertThat(DirectIoCheck.newlyDirect(before, before)).isEmpty();
	}

	@Test
	void anImageOnADiskFilesystemOpensDirectAndAMissingOneIsNotThisHostsToJudge() throws Exception {
		// under target/, on the project's own disk (a temporary directory may be tmpfs)
		Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "direct-io");
		Path image = Files.write(dir.resolve("disk.raw"), new byte[1 << 20]);
		assertThat(DirectIoCheck.problem(image)).isNull();
		assertThat(DirectIoCheck.problem(dir.resolve("elsewhere.raw"))).isNull();
	}
}
