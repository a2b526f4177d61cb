package io.virtwise.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.virtwise.LabRequirement;
import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.fix.ContainerRecreate;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.docker.inspect.DockerInspector;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import io.virtwise.probe.core.ProbeOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Re-creates carried out on the lab's real dockerd exactly as printed, then undone by their printed
 * rollback. Two images built FROM the probe image in the shapes real ones have (a database with
 * {@code VOLUME /var/lib/db}, ENV, EXPOSE and CMD; a cache with {@code VOLUME /data} that keeps its
 * append-only file in its writable layer), and two containers run from them by the docker CLI with
 * every kind of mount (the image's anonymous volume, a user anonymous volume, a named volume,
 * read-only and read-write binds, a tmpfs), published ports, CPU and memory limits, a secret in the
 * environment, labels and a restart policy, on the bridge. Data is written into every volume first.
 *
 * <p>The advice comes from the real inspector (live write readings included) and the real rules:
 * DOCKER-NET-BRIDGE-NAT re-creates the database on the host network, DOCKER-STORAGE-WRITABLE-LAYER
 * moves the directory the cache holds open for writing to a volume. The new container is compared
 * with the old one (mounts by volume name and bind source, ports, limits, environment compared
 * inside the containers by hash and never printed, labels, restart policy, hostname) and the data
 * must be there; after the rollback the original is back, running, with its data. Everything this
 * class makes carries the prefix vwrc- and is removed however it ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerRecreateIT {

	static final String RUN = "vwrc-" + UUID.randomUUID().toString().substring(0, 8);
	static final String RUN_LABEL = "io.virtwise.test.run";
	static final String DB = RUN + "-db";
	static final String CACHE = RUN + "-cache";
	static final String DB_IMAGE = RUN + "-dbimage";
	static final String CACHE_IMAGE = RUN + "-cacheimage";
	static final String NAMED = RUN + "-named";
	// values that must arrive unchanged, and are never printed
	static final String SECRET = "s3cr3t " + UUID.randomUUID() + " =#x";
	static final String TOKEN = UUID.randomUUID().toString();

	static DockerClient docker;
	static Path hostDir;
	static int dbPort;
	static int cachePort;
	static final Set<String> volumes = new LinkedHashSet<>();

	@BeforeAll
	static void imagesAndContainers() throws Exception {
		docker = LabEngine.connect();
		try {
			docker.inspectImageCmd(ProbeOptions.IMAGE).exec();
		}
		catch (NotFoundException e) {
			LabRequirement.unavailable("the image " + ProbeOptions.IMAGE + " is missing (scripts/lab-up docker builds it)", e);
		}
		build(DB_IMAGE, """
				FROM virtwise/probe:latest
				ENV DB_MODE=replica DB_PORT=5432
				VOLUME /var/lib/db
				EXPOSE 5432
				LABEL io.virtwise.test.run=%s
				CMD ["sh", "-c", "trap 'exit 0' TERM; echo started >> /var/lib/db/starts; while :; do sleep 1 & wait $!; done"]
				""".formatted(RUN));
		// the cache keeps its append-only file and its dump in the writable layer, open for writing; the first run
		// gives the directory its owner and mode, so a copy that lost them would show
		build(CACHE_IMAGE, """
				FROM virtwise/probe:latest
				VOLUME /data
				EXPOSE 6379
				LABEL io.virtwise.test.run=%s
				CMD ["sh", "-c", "trap 'exit 0' TERM; d=/var/lib/cachedb; if [ ! -f $d/marker ]; then mkdir -p $d && echo \\"$MARKER\\" > $d/marker && chown -R 999:999 $d && chmod 700 $d; fi; exec 3>>$d/appendonly.aof 4<>$d/dump.rdb; while :; do echo tick >&3; dd if=/dev/zero bs=16k count=1 conv=notrunc >&4 2>/dev/null; sleep 0.05 & wait $!; done"]
				""".formatted(RUN));

		hostDir = Files.createTempDirectory(RUN + "-");
		Files.createDirectories(hostDir.resolve("conf"));
		Files.createDirectories(hostDir.resolve("shared"));
		Files.writeString(hostDir.resolve("conf").resolve("db.conf"), TOKEN + "\n");
		dbPort = freeLoopbackPort();
		cachePort = freeLoopbackPort();
		volumes.add(NAMED);

		cli("docker", "run", "-d", "--name", DB, "--label", RUN_LABEL + "=" + RUN, "--label", "team=data", "--label",
				"api.token=tok-" + TOKEN, "-e", "DB_PASSWORD=" + SECRET, "-e", "NOTE=two words", "-p", "127.0.0.1:" + dbPort + ":5432",
				"-v", "/var/lib/extra", "-v", NAMED + ":/named", "-v", hostDir.resolve("conf") + ":/conf:ro", "-v",
				hostDir.resolve("shared") + ":/shared", "--tmpfs", "/scratch:size=16m", "--cpus", "0.5", "--memory", "256m",
				"--restart", "unless-stopped", DB_IMAGE);
		cli("docker", "run", "-d", "--name", CACHE, "--label", RUN_LABEL + "=" + RUN, "-e", "MARKER=" + TOKEN, "-p",
				"127.0.0.1:" + cachePort + ":6379", "--memory", "128m", "--restart", "always", CACHE_IMAGE);
		for (String dir : List.of("/var/lib/db", "/var/lib/extra", "/named", "/shared")) {
			cli("docker", "exec", DB, "sh", "-c", "echo " + TOKEN + " > " + dir + "/data.txt");
		}
		rememberVolumes(DB);
		rememberVolumes(CACHE);
	}

	@AfterAll
	static void removeEverythingThisRunMade() throws Exception {
		if (docker == null) {
			return;
		}
		List<String> left = new ArrayList<>();
		for (String id : lines(cliQuiet("docker", "ps", "-aq", "--filter", "label=" + RUN_LABEL + "=" + RUN))) {
			rememberVolumes(id);
			cliQuiet("docker", "rm", "-f", id);
		}
		for (String id : lines(cliQuiet("docker", "ps", "-aq", "--filter", "name=" + RUN))) {
			cliQuiet("docker", "rm", "-f", id);
		}
		for (String volume : volumes) {
			cliQuiet("docker", "volume", "rm", volume);
		}
		for (String image : List.of(DB_IMAGE, CACHE_IMAGE)) {
			cliQuiet("docker", "rmi", "-f", image);
		}
		if (hostDir != null) {
			try (var walk = Files.walk(hostDir)) {
				for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(p);
				}
			}
		}
		left.addAll(lines(cliQuiet("docker", "ps", "-aq", "--filter", "name=" + RUN)));
		left.addAll(lines(cliQuiet("docker", "volume", "ls", "-q", "--filter", "name=" + RUN)));
		left.addAll(lines(cliQuiet("docker", "images", "-q", "--filter", "label=" + RUN_LABEL + "=" + RUN)));
		for (String volume : volumes) {
			if (cliQuiet("docker", "volume", "inspect", volume).contains("\"Name\"")) {
				left.add("volume " + volume);
			}
		}
		assertThat(left).as("left behind by " + RUN).isEmpty();
	}

	// --- the database: re-created on the host network ---

	@Test
	@Order(1)
	void theDatabaseIsReCreatedOnTheHostNetworkWithEveryMountItsEnvironmentAndItsData() throws Exception {
		List<Recommendation> advice = advise();
		Recommendation nat = only(advice, "DOCKER-NET-BRIDGE-NAT", DB);
		assertPrintable(nat);

		JsonNode before = inspect(DB);
		String envBefore = envHash(DB);
		String run = bash(applicable(nat.fix()));
		System.out.println(DB + ": the fix printed\n" + run);
		assertThat(run).as("every line ran cleanly").doesNotContain("Error", "error", "No such");

		JsonNode after = inspect(DB);
		JsonNode old = inspect(DB + ContainerRecreate.OLD_SUFFIX);
		assertThat(after.path("Id").asText()).isNotEqualTo(before.path("Id").asText());
		assertThat(after.at("/State/Running").asBoolean()).as("the new one runs").isTrue();
		assertThat(old.path("Id").asText()).as("the old one is kept, renamed").isEqualTo(before.path("Id").asText());
		assertThat(old.at("/State/Running").asBoolean()).as("and stopped").isFalse();
		assertThat(old.at("/HostConfig/RestartPolicy/Name").asText()).as("and kept from restarting").isEqualTo("no");

		// the one intended change: the host network, no published ports
		assertThat(after.at("/HostConfig/NetworkMode").asText()).isEqualTo("host");
		assertThat(after.at("/HostConfig/PortBindings").size()).isZero();
		assertSameContainer(before, after, Set.of());
		assertThat(envHash(DB)).as("the environment inside the new container, compared by hash").isEqualTo(envBefore);
		assertThat(cli("docker", "exec", DB, "sh", "-c", "printf %s \"$DB_PASSWORD\" | sha256sum").strip())
			.as("the secret's hash").isEqualTo(sha256(SECRET) + "  -");
		for (String dir : List.of("/var/lib/db", "/var/lib/extra", "/named", "/shared")) {
			assertThat(cli("docker", "exec", DB, "cat", dir + "/data.txt").strip()).as("data written to %s before", dir).isEqualTo(TOKEN);
		}
		assertThat(cli("docker", "exec", DB, "cat", "/conf/db.conf").strip()).isEqualTo(TOKEN);
		assertThat(cli("docker", "exec", DB, "cat", "/var/lib/db/starts").lines()).as("the image's volume, started twice").hasSize(2);

		assertThat(bash(nat.rollback())).as("the rollback ran cleanly").doesNotContain("Error", "error", "No such");
		assertIsTheOriginalAgain(before, DB);
		for (String dir : List.of("/var/lib/db", "/var/lib/extra", "/named", "/shared")) {
			assertThat(cli("docker", "exec", DB, "cat", dir + "/data.txt").strip()).isEqualTo(TOKEN);
		}
		assertThat(publishedPortAnswers(dbPort)).as("its published port is bound again").isTrue();
	}

	// --- the cache: its append-only file moves from the writable layer to a volume ---

	@Test
	@Order(2)
	void theCachesDirectoryOpenForWritingMovesToAVolumeWithItsOwnersModesAndData() throws Exception {
		List<Recommendation> advice = advise();
		Recommendation layer = only(advice, "DOCKER-STORAGE-WRITABLE-LAYER", CACHE);
		assertPrintable(layer);
		// named from the files it holds open, found by its live write rate, though its layer is small
		assertThat(evidence(layer, "containers[" + CACHE + "].layerFilesOpenForWrite"))
			.contains("/var/lib/cachedb/appendonly.aof", "/var/lib/cachedb/dump.rdb");
		assertThat(evidence(layer, "containers[" + CACHE + "].writeBytesPerSecond")).endsWith("/s");
		String volume = CACHE + "-data";
		volumes.add(volume);
		assertThat(layer.fix()).anyMatch(l -> l.startsWith("# /var/lib/cachedb holds the files it keeps open for writing"));

		JsonNode before = inspect(CACHE);
		String envBefore = envHash(CACHE);
		String run = bash(applicable(layer.fix()));
		System.out.println(CACHE + ": the fix printed\n" + run);
		assertThat(run).as("every line ran cleanly").doesNotContain("Error", "error", "No such");

		JsonNode after = inspect(CACHE);
		assertThat(after.at("/State/Running").asBoolean()).isTrue();
		assertThat(inspect(CACHE + ContainerRecreate.OLD_SUFFIX).at("/State/Running").asBoolean()).isFalse();
		assertSameContainer(before, after, Set.of("/var/lib/cachedb"));
		assertThat(after.at("/HostConfig/PortBindings").toString()).isEqualTo(before.at("/HostConfig/PortBindings").toString());
		assertThat(mounts(after)).contains("volume " + volume + " /var/lib/cachedb rw");
		assertThat(envHash(CACHE)).isEqualTo(envBefore);
		// what the old one wrote is in the volume: its marker, its owner and mode, its append-only file as the start of the new one's
		assertThat(cli("docker", "exec", CACHE, "cat", "/var/lib/cachedb/marker").strip()).isEqualTo(TOKEN);
		assertThat(cli("docker", "exec", CACHE, "stat", "-c", "%u:%g %a", "/var/lib/cachedb").strip()).isEqualTo("999:999 700");
		String oldAof = cli("bash", "-c", "docker cp " + CACHE + ContainerRecreate.OLD_SUFFIX
				+ ":/var/lib/cachedb/appendonly.aof - | tar -xO");
		assertThat(oldAof).isNotEmpty();
		assertThat(cli("docker", "exec", CACHE, "cat", "/var/lib/cachedb/appendonly.aof")).startsWith(oldAof);
		assertThat(cli("docker", "exec", CACHE, "sh", "-c", "mount | grep ' /var/lib/cachedb '")).as("a volume, not the layer")
			.doesNotContain("overlay");

		assertThat(bash(layer.rollback())).as("the rollback ran cleanly").doesNotContain("Error", "error", "No such");
		assertIsTheOriginalAgain(before, CACHE);
		assertThat(cli("docker", "exec", CACHE, "cat", "/var/lib/cachedb/marker").strip()).isEqualTo(TOKEN);
		assertThat(publishedPortAnswers(cachePort)).isTrue();
	}

	// --- the engine's root: what the storage driver advice reads ---

	@Test
	@Order(3)
	void theFilesystemUnderTheEnginesRootIsReadFromThisHost() throws Exception {
		var engine = new DockerInspector(docker, (String) null).engine();
		assertThat(engine.rootFilesystem()).as("the mount table's type for %s", engine.rootDir())
			.isEqualTo(cli("findmnt", "-no", "FSTYPE", "-T", engine.rootDir()).strip());
		JsonNode info = FactsJson.MAPPER.readTree(cli("docker", "info", "--format", "{{json .DriverStatus}}"));
		String dType = null;
		for (JsonNode pair : info) {
			if (pair.get(0).asText().equals("Supports d_type")) {
				dType = pair.get(1).asText();
			}
		}
		assertThat(engine.supportsDType() == null ? null : engine.supportsDType().toString()).isEqualTo(dType);
	}

	// --- comparing ---

	/** Mounts, limits, labels, restart policy and hostname of the new container are the old one's; {@code added} are new. */
	static void assertSameContainer(JsonNode before, JsonNode after, Set<String> added) {
		Set<String> newMounts = new TreeSet<>(mounts(after));
		newMounts.removeIf(m -> added.stream().anyMatch(dir -> m.endsWith(" " + dir + " rw")));
		assertThat(newMounts).as("mounts: volumes by name, binds by source, read-only flags").isEqualTo(new TreeSet<>(mounts(before)));
		// (not Binds: the anonymous volumes are there by name now, which is the point)
		for (String field : List.of("NanoCpus", "Memory", "Tmpfs", "RestartPolicy", "CpusetCpus", "ReadonlyRootfs")) {
			assertThat(after.at("/HostConfig/" + field)).as(field).isEqualTo(before.at("/HostConfig/" + field));
		}
		assertThat(after.at("/Config/Hostname").asText()).isEqualTo(before.at("/Config/Hostname").asText());
		assertThat(after.at("/Config/Image").asText()).isEqualTo(before.at("/Config/Image").asText());
		assertThat(after.path("Image").asText()).as("the same image").isEqualTo(before.path("Image").asText());
		// compared as maps, never printed: a secret-looking label is among them
		Map<String, String> labelsBefore = FactsJson.MAPPER.convertValue(before.at("/Config/Labels"), TreeMap.class);
		Map<String, String> labelsAfter = FactsJson.MAPPER.convertValue(after.at("/Config/Labels"), TreeMap.class);
		assertThat(labelsAfter.equals(labelsBefore)).as("labels equal (keys %s)", labelsAfter.keySet()).isTrue();
		assertThat(after.at("/Config/Env").equals(before.at("/Config/Env"))).as("Config.Env equal").isTrue();
	}

	void assertIsTheOriginalAgain(JsonNode original, String name) throws Exception {
		JsonNode back = inspect(name);
		assertThat(back.path("Id").asText()).as("the original is back under its name").isEqualTo(original.path("Id").asText());
		assertThat(back.at("/State/Running").asBoolean()).as("and running").isTrue();
		assertThat(back.at("/HostConfig/RestartPolicy")).isEqualTo(original.at("/HostConfig/RestartPolicy"));
		assertThat(back.at("/HostConfig/PortBindings")).isEqualTo(original.at("/HostConfig/PortBindings"));
		assertThat(mounts(back)).isEqualTo(mounts(original));
		assertThat(cliQuiet("docker", "inspect", name + ContainerRecreate.OLD_SUFFIX)).as("nothing left under the old name")
			.doesNotContain("\"Id\"");
	}

	/** "TYPE NAME-OR-SOURCE DESTINATION rw|ro" per mount, tmpfs from HostConfig.Tmpfs too. */
	static List<String> mounts(JsonNode inspect) {
		List<String> out = new ArrayList<>();
		for (JsonNode m : inspect.path("Mounts")) {
			String type = m.path("Type").asText();
			String source = type.equals("volume") ? m.path("Name").asText() : m.path("Source").asText();
			out.add(type + " " + source + " " + m.path("Destination").asText() + (m.path("RW").asBoolean() ? " rw" : " ro"));
		}
		inspect.at("/HostConfig/Tmpfs").fieldNames().forEachRemaining(d -> out.add("tmpfs " + d));
		out.sort(null);
		return out;
	}

	/** The environment as the container's processes see it, hashed inside the container: values never leave it. */
	static String envHash(String name) throws Exception {
		return cli("docker", "exec", name, "sh", "-c", "env | LC_ALL=C sort | sha256sum").strip();
	}

	/** What every printed line must be: runnable as is, nothing redacted, a way back. */
	static void assertPrintable(Recommendation r) {
		String all = String.join("\n", r.fix()) + "\n" + String.join("\n", r.rollback());
		assertThat(all).doesNotContain("<redacted>", "<dir>", SECRET, TOKEN);
		assertThat(r.fix()).noneMatch(l -> l.startsWith(ContainerRecreate.REFUSED));
		assertThat(r.rollback()).isNotEmpty();
	}

	/** The fix lines to run: all of them as printed, but the probe that would measure first. */
	static List<String> applicable(List<String> fix) {
		return fix.stream().filter(l -> !l.startsWith("virtwise ")).toList();
	}

	// --- the engine, the CLI and bash ---

	List<Recommendation> advise() throws Exception {
		DockerInspector.Snapshot snapshot = new DockerInspector(docker, (String) null).inspect();
		Facts facts = new Facts(Facts.SCHEMA_VERSION, Instant.now().toString(), "lab", null, snapshot.containers(), List.of(), List.of(),
				snapshot.engine());
		return AdviceEngine.evaluate(RuleBase.load(Path.of("rules")), facts);
	}

	static Recommendation only(List<Recommendation> advice, String id, String subject) {
		List<Recommendation> found = advice.stream().filter(r -> r.id().equals(id) && r.subject().equals(subject)).toList();
		assertThat(found).as("%s for %s among %s", id, subject, advice.stream().map(r -> r.id() + "@" + r.subject()).toList()).hasSize(1);
		return found.get(0);
	}

	static String evidence(Recommendation r, String fact) {
		return r.evidence().stream().filter(e -> e.fact().equals(fact)).findFirst()
			.orElseThrow(() -> new AssertionError("no evidence " + fact + " in " + r.evidence())).value();
	}

	static JsonNode inspect(String name) throws Exception {
		return FactsJson.MAPPER.readTree(cli("docker", "inspect", name)).get(0);
	}

	static void rememberVolumes(String container) throws Exception {
		JsonNode tree = FactsJson.MAPPER.readTree(cliQuiet("docker", "inspect", container).isBlank() ? "[]"
				: cliQuiet("docker", "inspect", container));
		for (JsonNode c : tree) {
			for (JsonNode m : c.path("Mounts")) {
				if (m.path("Type").asText().equals("volume")) {
					volumes.add(m.path("Name").asText());
				}
			}
		}
	}

	static void build(String tag, String dockerfile) throws Exception {
		Process p = new ProcessBuilder("docker", "build", "-q", "-t", tag, "-").redirectErrorStream(true).start();
		p.getOutputStream().write(dockerfile.getBytes(StandardCharsets.UTF_8));
		p.getOutputStream().close();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0).as("docker build %s: %s", tag, out).isTrue();
	}

	/** Runs the lines as one bash script, exactly as printed; answers what they printed. */
	static String bash(List<String> lines) throws Exception {
		Process p = new ProcessBuilder("bash", "-c", String.join("\n", lines) + "\n").redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
		return out;
	}

	static String cli(String... command) throws Exception {
		Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as("%s %s failed", command[0], command[1]).isTrue();
		return out;
	}

	/** A command whose failure is not the test's (cleaning up what may be gone): its output, or "" */
	static String cliQuiet(String... command) {
		try {
			Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			p.waitFor(120, TimeUnit.SECONDS);
			return p.exitValue() == 0 ? out : "";
		}
		catch (IOException | InterruptedException | IllegalThreadStateException e) {
			return "";
		}
	}

	static List<String> lines(String text) {
		return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
	}

	static String sha256(String text) throws Exception {
		byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		StringBuilder hex = new StringBuilder();
		for (byte b : digest) {
			hex.append(String.format("%02x", b));
		}
		return hex.toString();
	}

	static int freeLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** A TCP connect to the published port on loopback: docker-proxy or DNAT answers when the port is bound. */
	static boolean publishedPortAnswers(int port) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			try (java.net.Socket s = new java.net.Socket()) {
				s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
				return true;
			}
			catch (IOException e) {
				try {
					Thread.sleep(200);
				}
				catch (InterruptedException ie) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return false;
	}
}
