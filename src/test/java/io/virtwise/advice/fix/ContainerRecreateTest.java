package io.virtwise.advice.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.MountInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A re-create's lines for one container, and each reason a faithful one cannot be written. */
class ContainerRecreateTest {

	static final String ID = "3f1c0ad2e9b4" + "0".repeat(52);
	static final String IMAGE_ID = "sha256:" + "ab".repeat(32);

	static ContainerFacts db(String runCommand, List<MountInfo> mounts, Map<String, String> labels, Boolean autoRemove, String restart) {
		return new ContainerFacts(ID, "db", "postgres:16", "running", "bridge", List.of(), null, null, List.of(), mounts, 0L, false,
				"default", restart, "172.17.0.2", List.of("POSTGRES_PASSWORD"), labels, runCommand, autoRemove, IMAGE_ID, null, null,
				null, null, null, null);
	}

	static final String RUN = "docker run -d --name db -p 127.0.0.1:5432:5432 -v /srv/pg-conf:/etc/postgresql:ro --restart always "
			+ "-e 'POSTGRES_PASSWORD=<redacted>' --label team=data postgres:16";
	static final List<MountInfo> MOUNTS = List.of(new MountInfo("bind", null, "/srv/pg-conf", "/etc/postgresql", true),
			new MountInfo("volume", "9f2c" + "0".repeat(60), "/var/lib/docker/volumes/9f2c.../_data", "/var/lib/postgresql/data", false));

	@Test
	void theImagesVolumeIsMountedByItsNameAndTheOldContainerIsKeptStopped() {
		ContainerRecreate.Plan plan = ContainerRecreate.onHostNetwork(db(RUN, MOUNTS, Map.of(), false, "always"), List.of());

		assertThat(plan.refused()).isFalse();
		assertThat(plan.fix()).containsExactly(
				"# re-creates db (bash): the old container is kept, stopped, as db-virtwise-old with its volumes until you remove it; "
						+ "the new one gets every mount, and the environment and labels read from the old one",
				"[[ \"$(docker container inspect -f '{{.Id}}' db 2>/dev/null)\" == " + ID + "* ]] && [ \"$(docker image inspect -f '{{.Id}}' postgres:16 "
						+ "2>/dev/null)\" = " + IMAGE_ID + " ] && docker rename db db-virtwise-old   # acts only while db is the container "
						+ "advised on and postgres:16 still names the image it runs (else the new one would run other software); otherwise "
						+ "nothing changes and every later line fails harmlessly",
				"docker update --restart no db-virtwise-old   # else its restart policy (always) starts it with the daemon, next to the new one",
				"docker stop db-virtwise-old",
				"[ \"$(docker container inspect -f '{{.State.Running}}' db-virtwise-old 2>/dev/null)\" = false ] && docker create --name db "
						+ "--hostname 3f1c0ad2e9b4 --network host -v /srv/pg-conf:/etc/postgresql:ro -v " + "9f2c" + "0".repeat(60)
						+ ":/var/lib/postgresql/data --restart always --env-file <(docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "
						+ "db-virtwise-old) --label-file <(docker container inspect -f '{{range $k, $v := .Config.Labels}}{{$k}}={{println $v}}{{end}}' "
						+ "db-virtwise-old) postgres:16",
				"docker start db",
				"# when satisfied: docker rm db-virtwise-old   (without -v: its volumes are the new db's too)");
		assertThat(plan.rollback()).containsExactly(
				"[[ \"$(docker container inspect -f '{{.Id}}' db 2>/dev/null)\" != " + ID + "* ]] && docker stop db && docker rm db   # the new db, never the "
						+ "original (its id is checked); without -v, so the volumes stay",
				"docker rename db-virtwise-old db", "docker update --restart always db", "docker start db");
	}

	@Test
	void anAnonymousVolumeTheLineWouldMakeAnewGetsItsNameAndOtherNetworksAreJoinedBeforeItStarts() {
		String run = "docker run -d --name db --network appnet -v /var/lib/postgresql/data --mount type=volume,destination=/backup "
				+ "postgres:16  # also on network backend: docker network connect --alias pg backend db";
		List<MountInfo> mounts = List.of(new MountInfo("volume", "aa" + "0".repeat(62), null, "/var/lib/postgresql/data", false),
				new MountInfo("volume", "bb" + "0".repeat(62), null, "/backup", false));

		ContainerRecreate.Plan plan = ContainerRecreate.withDataVolume(db(run, mounts, Map.of(), false, "no"), List.of(), "db-data", "/srv/dumps");

		assertThat(plan.fix()).anyMatch(line -> line.contains("docker create --name db --hostname 3f1c0ad2e9b4 --network appnet "
				+ "-v aa" + "0".repeat(62) + ":/var/lib/postgresql/data --mount type=volume,destination=/backup,source=bb" + "0".repeat(62)
				+ " -v db-data:/srv/dumps:nocopy --env-file "));
		// restart policy no: nothing to keep it from, nothing to restore
		assertThat(plan.fix()).noneMatch(line -> line.startsWith("docker update"));
		assertThat(plan.fix()).containsSubsequence("[ \"$(docker container inspect -f '{{.State.Status}}' db 2>/dev/null)\" = created ] && "
				+ "docker cp db-virtwise-old:/srv/dumps - | docker cp - db:/srv   # /srv/dumps into db-data, owners and modes kept",
				"[ \"$(docker container inspect -f '{{.State.Status}}' db 2>/dev/null)\" = created ] && docker network connect --alias pg backend db",
				"docker start db");
		assertThat(plan.rollback()).noneMatch(line -> line.startsWith("docker update"))
			.contains("# db-data keeps what the new container wrote to /srv/dumps: docker volume rm db-data once nothing there is needed");
	}

	@Test
	void theMovedDirectoryMustBeAllInTheWritableLayer() {
		ContainerFacts c = db(RUN, MOUNTS, Map.of(), false, "always");

		assertThat(ContainerRecreate.withDataVolume(c, List.of(), "db-data", "/var/lib/postgresql").refusal())
			.isEqualTo("/var/lib/postgresql is not all in the writable layer: /var/lib/postgresql/data is a volume mount");
		assertThat(ContainerRecreate.withDataVolume(c, List.of(), "db-data", "/etc/postgresql/conf.d").refused()).isTrue();
		assertThat(ContainerRecreate.withDataVolume(c, List.of(), "db-data", "relative/dir").refused()).isTrue();
		assertThat(ContainerRecreate.withDataVolume(c, List.of(), "db-data", "/").refused()).isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			--rm                | was started with --rm: stopping it removes it and its anonymous volumes
			compose             | it is managed by docker compose (project shop)
			swarm               | it is managed by a swarm service (web)
			log secret          | --log-opt splunk-token holds a secret
			command secret      | its command line holds a secret
			gpus                | device requests (--gpus)
			exec health check   | its health check runs /bin/check without a shell
			env line break      | a file cannot carry environment CERT (a line break)
			no image id         | the image it runs (its id) is unknown
			no run line         | its docker run line is unknown
			unreadable run line | its docker run line cannot be read
			no mounts           | its mounts are unknown
			other bind          | its run line mounts /etc/postgresql from bind /srv/other and the engine says bind /srv/pg-conf
			read-write          | its run line mounts /etc/postgresql read-write and the engine says otherwise
			""")
	void whereNoFaithfulReCreateCanBeWrittenItSaysWhyAndPrintsNone(String what, String why) {
		ContainerFacts c = switch (what) {
			case "--rm" -> db(RUN, MOUNTS, Map.of(), true, "no");
			case "compose" -> db(RUN, MOUNTS, Map.of("com.docker.compose.project", "shop"), false, "always");
			case "swarm" -> db(RUN, MOUNTS, Map.of("com.docker.swarm.service.name", "web"), false, "always");
			case "log secret" -> db(RUN.replace("--restart always", "--log-driver splunk --log-opt 'splunk-token=<redacted>'"), MOUNTS,
					Map.of(), false, "no");
			case "command secret" -> db(RUN + " --password '<redacted>'", MOUNTS, Map.of(), false, "always");
			case "gpus" -> db(RUN + "  # its device requests (--gpus) are not in this line", MOUNTS, Map.of(), false, "always");
			case "exec health check" -> db(RUN + "  # its health check runs /bin/check without a shell, which --health-cmd cannot write",
					MOUNTS, Map.of(), false, "always");
			case "env line break" -> db(RUN + "  # an --env-file or --label-file cannot carry environment CERT (a line break)", MOUNTS,
					Map.of(), false, "always");
			case "no image id" -> new ContainerFacts(ID, "db", "postgres:16", "running", "bridge", List.of(), null, null, List.of(),
					MOUNTS, 0L, false, "default", "always", null, List.of(), Map.of(), RUN);
			case "no run line" -> db(null, MOUNTS, Map.of(), false, "always");
			case "unreadable run line" -> db("docker run --name 'db", MOUNTS, Map.of(), false, "always");
			case "no mounts" -> db(RUN, null, Map.of(), false, "always");
			case "other bind" -> db(RUN.replace("/srv/pg-conf", "/srv/other"), MOUNTS, Map.of(), false, "always");
			case "read-write" -> db(RUN.replace(":ro", ""), MOUNTS, Map.of(), false, "always");
			default -> throw new IllegalArgumentException(what);
		};
		for (ContainerRecreate.Plan plan : List.of(ContainerRecreate.onHostNetwork(c, List.of(c)),
				ContainerRecreate.withDataVolume(c, List.of(c), "db-data", "/srv/dumps"))) {
			assertThat(plan.refusal()).contains(why);
			assertThat(plan.fix()).containsExactly(ContainerRecreate.REFUSED + plan.refusal());
			assertThat(plan.rollback()).isEmpty();
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			docker run -d --name sidecar --network container:db busybox       | sidecar (--network container:db)
			docker run -d --name sidecar --ipc container:3f1c0ad2e9b4 busybox | sidecar (--ipc container:3f1c0ad2e9b4)
			docker run -d --name sidecar --pid=container:db busybox           | sidecar (--pid container:db)
			docker run -d --name web --link db:database nginx                 | web (--link db:database)
			""")
	void containersThatShareItsNamespacesOrLinkToItAreNamedAndNoReCreateIsPrinted(String other, String named) {
		ContainerFacts c = db(RUN, MOUNTS, Map.of(), false, "always");
		ContainerFacts sidecar = new ContainerFacts("77" + "0".repeat(62), other.split(" ")[4], "busybox", "running", "bridge",
				List.of(), null, null, List.of(), List.of(), 0L, false, "default", "no", null, List.of(), Map.of(), other);

		assertThat(ContainerRecreate.onHostNetwork(c, List.of(c, sidecar)).refusal())
			.isEqualTo("other containers depend on this very container: " + named + "; they would lose it when it stops, so re-create them together");
		// a container merely on the same bridge is no reason
		ContainerFacts neighbour = new ContainerFacts("88" + "0".repeat(62), "web", "nginx", "running", "bridge", List.of(), null, null,
				List.of(), List.of(), 0L, false, "default", "no", null, List.of(), Map.of(), "docker run -d --name web nginx");
		assertThat(ContainerRecreate.onHostNetwork(c, List.of(c, neighbour)).refused()).isFalse();
	}

	@Test
	void aContainerOnAnotherContainersNetworkKeepsItAndGetsNoHostname() {
		String run = "docker run -d --name db --network container:proxy --restart always postgres:16";
		ContainerFacts c = new ContainerFacts(ID, "db", "postgres:16", "running", "container:proxy", List.of(), null, null, List.of(),
				List.of(), 0L, false, "default", "always", null, List.of(), Map.of(), run, false, IMAGE_ID, null, null, null, null, null, null);

		assertThat(ContainerRecreate.withDataVolume(c, List.of(c), "db-data", "/srv/dumps").fix())
			.anyMatch(line -> line.contains("docker create --name db --network container:proxy -v db-data:/srv/dumps:nocopy "));
	}
}
