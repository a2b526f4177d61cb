package io.virtwise.advice.fix;

import io.virtwise.advice.Recommendation;
import io.virtwise.advice.Severity;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.virtwise.facts.EngineFacts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The storage driver switch run by bash as printed, against a daemon.json in a temporary directory
 * and stand-ins for stat, xfs_info, pgrep and systemctl that answer as the filesystem under test
 * would: daemon.json changes only where overlay2 can run, and the rollback puts the old one back.
 */
class Overlay2SwitchTest {

	@TempDir
	Path tmp;

	Path bin;
	Path config;

	@BeforeEach
	void standIns() throws IOException {
		Assumptions.assumeTrue(onPath("jq"), "jq runs the daemon.json edit");
		bin = Files.createDirectories(tmp.resolve("bin"));
		config = tmp.resolve("daemon.json");
		// stat -f -c %T prints the filesystem as GNU stat names it (ext4 shows as ext2/ext3); stat -c %m the mount point
		script("stat", "case \" $* \" in *' %T '*) echo \"$FS\" ;; *' %m '*) echo /mnt/docker ;; esac");
		script("xfs_info", "echo \"naming   =version 2              bsize=4096   ascii-ci=0, ftype=$FTYPE\"");
		script("pgrep", "echo \"4242 $DOCKERD\"");
		script("systemctl", "echo \"systemctl $*\" >> \"$LOG\"");
	}

	void script(String name, String body) throws IOException {
		Path file = bin.resolve(name);
		Files.writeString(file, "#!/bin/bash\n" + body + "\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	static boolean onPath(String program) {
		for (String dir : System.getenv("PATH").split(":")) {
			if (Files.isExecutable(Path.of(dir, program))) {
				return true;
			}
		}
		return false;
	}

	static final EngineFacts VFS = new EngineFacts("20.10.24", "1.41", "vfs", null, "cgroupfs", "1", true, true, "json-file", "runc",
			"/var/lib/docker", 3);

	/** Runs lines as printed, with the config path moved into the temporary directory. */
	String run(List<String> lines, String fs, String ftype, String dockerd) throws IOException, InterruptedException {
		String script = String.join("\n", lines).replace(Overlay2Switch.CONFIG, config.toString()) + "\n";
		ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
		pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
		pb.environment().put("FS", fs);
		pb.environment().put("FTYPE", ftype);
		pb.environment().put("DOCKERD", dockerd);
		pb.environment().put("LOG", tmp.resolve("log").toString());
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		p.waitFor(20, TimeUnit.SECONDS);
		return out;
	}

	/** The fix lines that change something: the daemon.json edit and the restart. */
	static List<String> changeAndRestart(Recommendation r) {
		return r.fix().stream().filter(l -> l.startsWith("case ") || l.contains("systemctl restart docker")).toList();
	}

	static Recommendation advice(EngineFacts e) {
		return Overlay2Switch.addTo(Recommendation.builder("DOCKER-STORAGE-DRIVER", Severity.MEDIUM, "t"), e).build();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			ext2/ext3 | 0 | dockerd --host unix:///var/run/docker.sock | true
			xfs       | 1 | dockerd                                    | true
			xfs       | 0 | dockerd                                    | false
			btrfs     | 1 | dockerd                                    | false
			tmpfs     | 1 | dockerd                                    | false
			ext2/ext3 | 0 | dockerd -s vfs                             | false
			ext2/ext3 | 0 | dockerd --storage-driver=vfs               | false
			ext2/ext3 | 0 | dockerd --config-file /srv/docker.json     | false
			""")
	void daemonJsonChangesOnlyWhereOverlay2CanRunAndTheRollbackRestoresIt(String fs, String ftype, String dockerd, boolean changes)
			throws Exception {
		String before = "{\n  \"log-driver\": \"local\",\n  \"storage-driver\": \"vfs\"\n}\n";
		Files.writeString(config, before);
		Recommendation r = advice(VFS);

		run(changeAndRestart(r), fs, ftype, dockerd);

		Path log = tmp.resolve("log");
		if (!changes) {
			assertThat(config).hasContent(before);
			assertThat(tmp.resolve("daemon.json.virtwise-bak")).doesNotExist();
			assertThat(log).doesNotExist();
			return;
		}
		assertThat(Files.readString(config)).contains("\"storage-driver\": \"overlay2\"", "\"log-driver\": \"local\"");
		assertThat(log).hasContent("systemctl restart docker");
		// a second run changes nothing more: the backup of the original is kept
		run(changeAndRestart(r), fs, ftype, dockerd);
		assertThat(tmp.resolve("daemon.json.virtwise-bak")).hasContent(before);

		run(r.rollback(), fs, ftype, dockerd);
		assertThat(config).hasContent(before);
		assertThat(tmp.resolve("daemon.json.virtwise-bak")).doesNotExist();
	}

	@Test
	void withoutADaemonJsonOneIsWrittenAndTheRollbackLeavesAnEmptyOne() throws Exception {
		Recommendation r = advice(VFS);

		run(changeAndRestart(r), "xfs", "1", "dockerd");
		assertThat(Files.readString(config)).contains("\"storage-driver\": \"overlay2\"");

		run(r.rollback(), "xfs", "1", "dockerd");
		assertThat(Files.readString(config).strip()).isEqualTo("{}");
	}

	@Test
	void theCheckLooksAtTheEnginesOwnRoot() {
		EngineFacts elsewhere = new EngineFacts("20.10.24", "1.41", "vfs", null, null, null, null, null, null, null, "/srv/docker root", 0);

		assertThat(advice(elsewhere).fix()).anyMatch(l -> l.startsWith("case \"$(stat -f -c %T '/srv/docker root')\" in "));
	}
}
