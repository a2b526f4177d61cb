package io.virtwise.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.virtwise.LabRequirement;
import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.fix.ContainerRecreate;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.fix.WritableLayerData;
import io.virtwise.docker.inspect.DockerInspector;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import io.virtwise.probe.core.ProbeOptions;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every re-create the advice prints for the corpus's Docker items, carried out on the lab's dockerd
 * against replicas of the containers those items were captured from. The replicas come from the
 * corpus's own definition ({@code corpus/docker-containers.sh}, which {@code capture-docker.sh}
 * captures from), under this run's prefix, with the documented host ports mapped to free ones.
 *
 * <p>A marker goes into every volume and bind mount of every replica. The real inspector gathers the
 * facts and the project's rules advise; each recommendation that re-creates a container has its fix
 * lines run by bash exactly as printed (only {@code virtwise} measuring lines and comments are left
 * out), and every line must succeed. The new container must have every mount of the original (volume
 * names, bind sources, read-only flags), its published ports (or, on the host network, none by design),
 * its limits, restart policy, labels, environment and command, and the markers; the printed rollback
 * must bring the original back, running, with its mounts and markers. A refused re-create must change
 * nothing. Everything this class makes carries the prefix vwcrc- and is removed however it ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CorpusRecreateIT {

	static final String RUN = "vwcrc-" + UUID.randomUUID().toString().substring(0, 8);
	static final String P = RUN + "-";
	static final String IMG = RUN + "/";
	static final Path CORPUS = Path.of("src/test/resources/corpus");
	static final Path DEFINITION = CORPUS.resolve("docker-containers.sh");
	static final String MARKER = ".vwcrc-marker";
	static final String TOKEN = UUID.randomUUID().toString();
	static final Set<String> RECREATING_IDS = Set.of("DOCKER-NET-BRIDGE-NAT", "DOCKER-STORAGE-WRITABLE-LAYER");
	// a fix line that creates a container: docker run, docker create, or their docker container forms
	static final Pattern CREATES = Pattern.compile("\\bdocker\\s+(container\\s+)?(create|run)\\b");
	// HostConfig fields a re-create must carry over unchanged (network and ports are compared apart)
	static final List<String> HOST_CONFIG = List.of("NanoCpus", "CpuQuota", "CpuPeriod", "CpuShares", "CpusetCpus", "CpusetMems",
			"Memory", "MemorySwap", "MemoryReservation", "PidsLimit", "BlkioWeight", "RestartPolicy", "AutoRemove", "ReadonlyRootfs",
			"Tmpfs", "LogConfig", "Privileged", "CapAdd", "CapDrop", "Ulimits", "ShmSize", "Init");
	static final List<String> CONFIG = List.of("Cmd", "Entrypoint", "User", "WorkingDir", "Image", "StopSignal");

	static DockerClient docker;
	static long started;
	/** container (without the prefix) -> its corpus item */
	static final Map<String, String> items = new LinkedHashMap<>();
	static final List<Path> hostDirs = new ArrayList<>();
	/** documented host port -> the free one published instead */
	static final Map<String, String> hostPorts = new TreeMap<>();
	/** container -> the destinations holding this run's marker */
	static final Map<String, List<String>> markers = new TreeMap<>();
	static final Map<String, String> originalIds = new TreeMap<>();
	static final List<String> outcomes = new ArrayList<>();
	static int carriedOut;
	static int refused;

	@BeforeAll
	static void replicas() throws Exception {
		started = System.nanoTime();
		docker = LabEngine.connect();
		try {
			docker.inspectImageCmd(ProbeOptions.IMAGE).exec();
		}
		catch (NotFoundException e) {
			LabRequirement.unavailable("the image " + ProbeOptions.IMAGE + " is missing (scripts/lab-up docker builds it)", e);
		}
		// what to remove is known before anything is made
		for (String dir : lines(definition("printf '%s\\n' \"${CORPUS_DIRS[@]}\""))) {
			assertThat(dir).startsWith("/srv/" + P);
			hostDirs.add(Path.of(dir));
		}
		for (String entry : lines(definition("printf '%s\\n' \"${CORPUS_ITEMS[@]}\""))) {
			String[] parts = entry.split("\\|");
			for (String name : parts[1].split(" ")) {
				items.put(name, parts[0]);
			}
		}
		Matcher ports = Pattern.compile("\\$\\(hp (\\d+)\\)").matcher(Files.readString(DEFINITION));
		while (ports.find()) {
			hostPorts.putIfAbsent(ports.group(1), freePort());
		}
		definition("corpus_build_images; corpus_run_containers");
		for (String name : items.keySet()) {
			waitForFirstStart(P + name);
			originalIds.put(name, inspect(P + name).path("Id").asText());
		}
		for (String name : items.keySet()) {
			markers.put(name, writeMarkers(inspect(P + name)));
		}
		System.out.printf("%s: %d containers of %d corpus items running, markers in %d mounts, set up in %.1f s%n", RUN, items.size(),
				new TreeSet<>(items.values()).size(), markers.values().stream().mapToInt(List::size).sum(), seconds());
	}

	@AfterAll
	static void removeEverythingThisRunMade() throws Exception {
		if (docker == null) {
			return;
		}
		if (!outcomes.isEmpty()) {
			System.out.printf("%s: %d containers, %d re-creates carried out and rolled back, %d refused, %.1f s in all%n", RUN,
					items.size(), carriedOut, refused, seconds());
			outcomes.forEach(o -> System.out.println("  " + o));
		}
		Set<String> volumes = new LinkedHashSet<>();
		for (String id : lines(cliQuiet("docker", "ps", "-aq", "--filter", "name=^/" + P))) {
			volumes.addAll(volumesOf(id));
			cliQuiet("docker", "rm", "-f", id);
		}
		volumes.addAll(lines(cliQuiet("docker", "volume", "ls", "-q", "--filter", "name=^" + P)));
		for (String volume : volumes) {
			cliQuiet("docker", "volume", "rm", volume);
		}
		for (String network : lines(cliQuiet("docker", "network", "ls", "-q", "--filter", "name=^" + P))) {
			cliQuiet("docker", "network", "rm", network);
		}
		List<String> images = ourImages();
		if (!images.isEmpty()) {
			List<String> rmi = new ArrayList<>(List.of("docker", "rmi"));
			rmi.addAll(images);
			cliQuiet(rmi.toArray(String[]::new));
		}
		for (Path dir : hostDirs) {
			deleteTree(dir);
		}

		List<String> left = new ArrayList<>();
		left.addAll(lines(cliQuiet("docker", "ps", "-aq", "--filter", "name=^/" + P)));
		left.addAll(lines(cliQuiet("docker", "volume", "ls", "-q", "--filter", "name=^" + P)));
		left.addAll(lines(cliQuiet("docker", "network", "ls", "-q", "--filter", "name=^" + P)));
		left.addAll(ourImages());
		for (String volume : volumes) {
			if (cliQuiet("docker", "volume", "inspect", volume).contains("\"Name\"")) {
				left.add("volume " + volume);
			}
		}
		hostDirs.stream().filter(Files::exists).forEach(d -> left.add(d.toString()));
		assertThat(left).as("left behind by " + RUN).isEmpty();
	}

	// --- the replicas are the captured configurations ---

	/**
	 * The replicas run what the corpus items saved: the same commands, environment, mounts, limits,
	 * restart and log settings, networks and published ports (host ports mapped back), so the advice
	 * on them is the advice on the corpus, and a definition that drifted from the saved files shows here.
	 */
	@Test
	@Order(1)
	void theReplicasHaveTheConfigurationTheCorpusItemsSaved() throws Exception {
		SoftAssertions soft = new SoftAssertions();
		for (Map.Entry<String, String> entry : items.entrySet()) {
			String name = entry.getKey();
			JsonNode captured = null;
			Map<String, String> capturedNames = new TreeMap<>();
			for (JsonNode c : FactsJson.MAPPER.readTree(CORPUS.resolve(entry.getValue()).resolve("containers.json").toFile())) {
				capturedNames.put(c.path("Id").asText(), c.path("Name").asText().substring(1));
				if (c.path("Name").asText().equals("/" + name)) {
					captured = c;
				}
			}
			soft.assertThat(captured).as("%s in %s/containers.json", name, entry.getValue()).isNotNull();
			if (captured == null) {
				continue;
			}
			JsonNode replica = FactsJson.MAPPER.readTree(unprefix(cli("docker", "inspect", P + name))).get(0);
			String what = name + " (" + entry.getValue() + ") ";
			// (not the labels: they are the probe image's, which the lab may have rebuilt since the capture)
			for (String field : List.of("Cmd", "Entrypoint", "Image", "WorkingDir", "User")) {
				soft.assertThat(replica.at("/Config/" + field)).as(what + "Config." + field).isEqualTo(captured.at("/Config/" + field));
			}
			soft.assertThat(env(replica)).as(what + "Config.Env").isEqualTo(env(captured));
			Map<String, String> replicaNames = new TreeMap<>();
			originalIds.forEach((n, id) -> replicaNames.put(id, n));
			soft.assertThat(networkMode(replica, replicaNames)).as(what + "HostConfig.NetworkMode").isEqualTo(networkMode(captured, capturedNames));
			for (String field : List.of("RestartPolicy", "AutoRemove", "ReadonlyRootfs", "Tmpfs", "NanoCpus", "Memory",
					"CpusetCpus", "LogConfig", "Binds")) {
				soft.assertThat(replica.at("/HostConfig/" + field)).as(what + "HostConfig." + field).isEqualTo(captured.at("/HostConfig/" + field));
			}
			soft.assertThat(ports(replica, true)).as(what + "published ports").isEqualTo(ports(captured, false));
			soft.assertThat(mountShapes(replica)).as(what + "mounts").isEqualTo(mountShapes(captured));
			soft.assertThat(networks(replica)).as(what + "networks").isEqualTo(networks(captured));
		}
		soft.assertAll();
	}

	// --- every re-create, carried out and undone ---

	@TestFactory
	@Order(2)
	Stream<DynamicTest> everyReCreateTheAdvicePrintsIsCarriedOutAsPrintedAndUndone() throws Exception {
		DockerInspector.Snapshot snapshot = new DockerInspector(docker, (String) null).inspect();
		Facts facts = new Facts(Facts.SCHEMA_VERSION, Instant.now().toString(), "lab", null, snapshot.containers(), List.of(), List.of(),
				snapshot.engine());
		List<Recommendation> advice = AdviceEngine.evaluate(RuleBase.load(Path.of("rules")), facts);
		Map<String, ContainerFacts> byName = new TreeMap<>();
		snapshot.containers().stream().filter(c -> c.name() != null).forEach(c -> byName.put(c.name(), c));
		List<Recommendation> recreates = advice.stream().filter(r -> r.subject() != null && r.subject().startsWith(P))
			.filter(CorpusRecreateIT::recreates).toList();
		System.out.printf("%s: advice on the replicas: %s%n", RUN, advice.stream().filter(r -> r.subject() != null && r.subject().startsWith(P))
			.map(r -> r.id() + "@" + r.subject().substring(P.length())).toList());
		// the corpus has both kinds, and both are carried out at least once: no vacuous pass
		assertThat(recreates).extracting(Recommendation::id).contains("DOCKER-NET-BRIDGE-NAT", "DOCKER-STORAGE-WRITABLE-LAYER");
		assertThat(recreates).as("re-creates that are not refused")
			.anyMatch(r -> r.id().equals("DOCKER-NET-BRIDGE-NAT") && !refusedPlan(r))
			.anyMatch(r -> r.id().equals("DOCKER-STORAGE-WRITABLE-LAYER") && !refusedPlan(r));

		List<DynamicTest> tests = new ArrayList<>();
		for (Recommendation r : recreates) {
			String label = r.id() + " " + r.subject().substring(P.length());
			tests.add(DynamicTest.dynamicTest(label, () -> {
				long t0 = System.nanoTime();
				if (refusedPlan(r)) {
					refusedChangesNothing(r);
					refused++;
					outcomes.add(String.format("%-30s %-16s refused: %s", r.id(), r.subject().substring(P.length()),
							r.fix().stream().filter(l -> l.startsWith(ContainerRecreate.REFUSED)).findFirst().orElseThrow()
								.substring(ContainerRecreate.REFUSED.length()).replace(P, "")));
				}
				else {
					carryOutAndUndo(r, byName.get(r.subject()));
					carriedOut++;
					outcomes.add(String.format("%-30s %-16s re-created and rolled back in %.1f s", r.id(), r.subject().substring(P.length()),
							(System.nanoTime() - t0) / 1e9));
				}
			}));
		}
		tests.add(DynamicTest.dynamicTest("afterwards every replica is its original, running, with every marker", () -> {
			SoftAssertions soft = new SoftAssertions();
			for (String name : items.keySet()) {
				JsonNode now = inspect(P + name);
				soft.assertThat(now.path("Id").asText()).as(name + " is the original").isEqualTo(originalIds.get(name));
				soft.assertThat(now.at("/State/Running").asBoolean()).as(name + " runs").isTrue();
				assertMarkers(soft, P + name, markers.get(name), null);
			}
			soft.assertThat(lines(cliQuiet("docker", "ps", "-a", "--format", "{{.Names}}", "--filter", "name=" + ContainerRecreate.OLD_SUFFIX)))
				.as("containers left renamed").noneMatch(n -> n.startsWith(P));
			soft.assertAll();
		}));
		return tests.stream();
	}

	/** Whether a recommendation re-creates a container: its rule's kind, a line creating one, or a refusal to. */
	static boolean recreates(Recommendation r) {
		return RECREATING_IDS.contains(r.id())
				|| r.fix().stream().anyMatch(l -> l.startsWith(ContainerRecreate.REFUSED) || (!l.startsWith("#") && CREATES.matcher(l).find()));
	}

	static boolean refusedPlan(Recommendation r) {
		return r.fix().stream().anyMatch(l -> l.startsWith(ContainerRecreate.REFUSED));
	}

	void carryOutAndUndo(Recommendation r, ContainerFacts facts) throws Exception {
		String name = r.subject();
		String shortName = name.substring(P.length());
		String old = name + ContainerRecreate.OLD_SUFFIX;
		assertThat(r.rollback()).as("a way back is printed").isNotEmpty();
		assertThat(r.fix()).as("one container created, under its own name")
			.filteredOn(l -> !l.startsWith("#") && CREATES.matcher(l).find()).hasSize(1)
			.allMatch(l -> l.contains("--name " + name + " ") || l.contains("--name=" + name + " "));

		Map<String, String> othersBefore = otherIds(name);
		JsonNode before = inspect(name);
		Map<String, String> peers = peers(before);
		for (Map.Entry<String, String> peer : peers.entrySet()) {
			assertThat(resolves(before, peer.getKey(), peer.getValue())).as("%s resolves %s before", shortName, peer.getKey().replace(P, ""))
				.isNull();
		}
		// where the fix moves a directory out of the writable layer, a marker there too
		String movedDir = r.id().equals("DOCKER-STORAGE-WRITABLE-LAYER") ? WritableLayerData.directory(facts) : null;
		if (movedDir != null) {
			cli("docker", "exec", name, "sh", "-c", "echo " + TOKEN + " > " + movedDir + "/" + MARKER);
		}

		// every check is made and the rollback is run whatever fails, so one finding does not hide the next
		SoftAssertions soft = new SoftAssertions();
		List<String> failed = runAsPrinted(r.fix());
		System.out.println(shortName + " " + r.id() + ": the fix as printed\n  " + String.join("\n  ", r.fix()).replace(IMG, "").replace(P, ""));
		soft.assertThat(failed).as("fix lines of %s for %s that failed", r.id(), shortName).isEmpty();

		JsonNode after = inspectIfThere(name);
		JsonNode kept = inspectIfThere(old);
		soft.assertThat(after.path("Id").asText()).as("a new container").isNotEqualTo(before.path("Id").asText());
		soft.assertThat(after.at("/State/Running").asBoolean()).as("the new one runs").isTrue();
		soft.assertThat(kept.path("Id").asText()).as("the old one is kept, renamed").isEqualTo(before.path("Id").asText());
		soft.assertThat(kept.at("/State/Running").asBoolean()).as("and stopped").isFalse();
		soft.assertThat(kept.at("/HostConfig/RestartPolicy/Name").asText()).as("and kept from restarting").isIn("no", "");

		Set<String> newMounts = new TreeSet<>(DockerRecreateIT.mounts(after));
		if (movedDir != null) {
			String added = "volume " + shortName + "-data " + movedDir + " rw";
			soft.assertThat(newMounts.stream().map(m -> m.replace(P, "")).toList()).as("the moved directory is a volume").contains(added);
			newMounts.removeIf(m -> m.replace(P, "").equals(added));
		}
		soft.assertThat(newMounts).as("mounts: volumes by name, binds by source, read-only flags")
			.isEqualTo(new TreeSet<>(DockerRecreateIT.mounts(before)));
		if (r.id().equals("DOCKER-NET-BRIDGE-NAT")) {
			// the one intended change: ports go with the bridge, by design
			soft.assertThat(after.at("/HostConfig/NetworkMode").asText()).as("--network host").isEqualTo("host");
			soft.assertThat(after.at("/HostConfig/PortBindings").size()).as("no ports published on the host network").isZero();
		}
		else {
			soft.assertThat(after.at("/HostConfig/NetworkMode")).as("NetworkMode").isEqualTo(before.at("/HostConfig/NetworkMode"));
			soft.assertThat(after.at("/HostConfig/PortBindings")).as("published ports").isEqualTo(before.at("/HostConfig/PortBindings"));
			soft.assertThat(networks(after)).as("networks").isEqualTo(networks(before));
		}
		// kept on the host network too: its own UTS namespace still has it, and services key their data by it
		soft.assertThat(after.at("/Config/Hostname").asText()).as("hostname").isEqualTo(before.at("/Config/Hostname").asText());
		for (String field : HOST_CONFIG) {
			soft.assertThat(after.at("/HostConfig/" + field)).as("HostConfig." + field).isEqualTo(before.at("/HostConfig/" + field));
		}
		for (String field : CONFIG) {
			soft.assertThat(after.at("/Config/" + field)).as("Config." + field).isEqualTo(before.at("/Config/" + field));
		}
		soft.assertThat(after.path("Image").asText()).as("the same image").isEqualTo(before.path("Image").asText());
		// compared, never printed: the environment holds (fake) passwords
		soft.assertThat(env(after).equals(env(before))).as("Config.Env equal").isTrue();
		soft.assertThat(labels(after).equals(labels(before))).as("labels equal (keys %s)", labels(after).keySet()).isTrue();
		assertMarkers(soft, name, markers.get(shortName), movedDir);
		for (Map.Entry<String, String> peer : peers.entrySet()) {
			soft.assertThat(resolves(after, peer.getKey(), peer.getValue())).as("%s still reaches %s by name", shortName,
					peer.getKey().replace(P, "")).isNull();
		}
		soft.assertThat(otherIds(name)).as("no other container touched").isEqualTo(othersBefore);

		List<String> rollbackFailed = runAsPrinted(r.rollback());
		soft.assertThat(rollbackFailed).as("rollback lines of %s for %s that failed", r.id(), shortName).isEmpty();
		JsonNode back = inspectIfThere(name);
				soft.assertThat(back.path("Id").asText()).as("the original is back under its name").isEqualTo(before.path("Id").asText());
		soft.assertThat(back.at("/State/Running").asBoolean()).as("and running").isTrue();
		soft.assertThat(back.at("/HostConfig/RestartPolicy")).as("its restart policy").isEqualTo(before.at("/HostConfig/RestartPolicy"));
		soft.assertThat(back.at("/HostConfig/PortBindings")).as("its ports").isEqualTo(before.at("/HostConfig/PortBindings"));
		soft.assertThat(networks(back)).as("its networks").isEqualTo(networks(before));
		soft.assertThat(DockerRecreateIT.mounts(back)).as("its mounts").isEqualTo(DockerRecreateIT.mounts(before));
		soft.assertThat(cliQuiet("docker", "container", "inspect", old)).as("nothing left under the old name").doesNotContain("\"Id\"");
		assertMarkers(soft, name, markers.get(shortName), movedDir);
		soft.assertThat(otherIds(name)).as("no other container touched").isEqualTo(othersBefore);
		soft.assertAll();
	}

	/** A refusal: its other lines run as printed, and afterwards every replica is as it was. */
	void refusedChangesNothing(Recommendation r) throws Exception {
		assertThat(r.fix()).as("no container is created when refused").noneMatch(l -> !l.startsWith("#") && CREATES.matcher(l).find());
		Map<String, String> before = state();
		Set<String> volumesBefore = new TreeSet<>(lines(cliQuiet("docker", "volume", "ls", "-q", "--filter", "name=^" + P)));
		List<String> failed = runAsPrinted(r.fix());
		assertThat(failed).as("lines printed with the refusal that failed").isEmpty();
		assertThat(state()).as("every replica as it was").isEqualTo(before);
		assertThat(new TreeSet<>(lines(cliQuiet("docker", "volume", "ls", "-q", "--filter", "name=^" + P)))).isEqualTo(volumesBefore);
	}

	// --- names ---

	// networks Docker brings itself: its embedded DNS answers container names on none of them
	static final Set<String> BUILT_IN_NETWORKS = Set.of("bridge", "host", "none");

	/** The other replicas this one shares a user-defined network with: peer name -> that network. */
	static Map<String, String> peers(JsonNode container) throws Exception {
		Map<String, String> out = new TreeMap<>();
		Set<String> own = networks(container);
		own.removeAll(BUILT_IN_NETWORKS);
		for (String name : items.keySet()) {
			if (!(P + name).equals(container.path("Name").asText().substring(1))) {
				for (String network : networks(inspect(P + name))) {
					if (own.contains(network)) {
						out.putIfAbsent(P + name, network);
					}
				}
			}
		}
		return out;
	}

	/**
	 * Whether a container reaches a peer by name through Docker's embedded DNS: null if it does, else
	 * why not. Asked only where the embedded DNS knows the name (both on the network), and as an
	 * absolute name, so the query never leaves for the host's resolvers.
	 */
	static String resolves(JsonNode container, String peer, String network) throws Exception {
		String name = container.path("Name").asText().substring(1);
		if (!networks(container).contains(network)) {
			return name.replace(P, "") + " is not on " + network.replace(P, "") + " (network mode " + container.at("/HostConfig/NetworkMode")
				.asText().replace(P, "") + "), where Docker's embedded DNS answers that name";
		}
		String answer = cliQuiet("docker", "exec", name, "getent", "ahostsv4", peer + ".");
		return answer.isBlank() ? "getent ahostsv4 " + peer.replace(P, "") + ". answered nothing" : null;
	}

	// --- markers ---

	/** A marker in every volume and bind mount, written from the host into its source; the destinations. */
	static List<String> writeMarkers(JsonNode container) throws IOException {
		List<String> destinations = new ArrayList<>();
		for (JsonNode m : container.path("Mounts")) {
			String type = m.path("Type").asText();
			if (type.equals("volume") || type.equals("bind")) {
				Files.writeString(Path.of(m.path("Source").asText()).resolve(MARKER), TOKEN + "\n");
				destinations.add(m.path("Destination").asText());
			}
		}
		return destinations;
	}

	/** Each marker read inside the running container, at its destination. */
	static void assertMarkers(SoftAssertions soft, String container, List<String> destinations, String movedDir) throws Exception {
		List<String> all = new ArrayList<>(destinations);
		if (movedDir != null) {
			all.add(movedDir);
		}
		for (String dir : all) {
			soft.assertThat(cliQuiet("docker", "exec", container, "cat", dir + "/" + MARKER).strip()).as("marker in %s of %s", dir,
					container.replace(P, "")).isEqualTo(TOKEN);
		}
	}

	// --- running lines as printed ---

	/**
	 * Runs the lines in one bash, exactly as printed, leaving out comments and {@code virtwise} measuring
	 * lines; after each, its exit status is noted on a line of its own. Answers the lines that failed,
	 * each with its status and what it printed.
	 */
	static List<String> runAsPrinted(List<String> lines) throws Exception {
		List<String> run = lines.stream().filter(l -> !l.startsWith("#") && !l.startsWith("virtwise ")).toList();
		StringBuilder script = new StringBuilder();
		String mark = "@@" + RUN + "-line ";
		for (int i = 0; i < run.size(); i++) {
			script.append(run.get(i)).append('\n').append("echo \"").append(mark).append(i).append(" $?\"\n");
		}
		Process p = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the lines finish").isTrue();
		List<String> failed = new ArrayList<>();
		StringBuilder printed = new StringBuilder();
		int seen = 0;
		for (String line : out.split("\n", -1)) {
			if (line.startsWith(mark)) {
				String[] parts = line.substring(mark.length()).split(" ");
				int index = Integer.parseInt(parts[0]);
				if (!parts[1].equals("0")) {
					failed.add("exit " + parts[1] + ": " + run.get(index).replace(P, "") + "\n    printed: " + printed.toString().strip());
				}
				printed.setLength(0);
				seen++;
			}
			else {
				printed.append(line).append('\n');
			}
		}
		if (seen != run.size()) {
			failed.add("only " + seen + " of " + run.size() + " lines ran; then: " + printed.toString().strip());
		}
		return failed;
	}

	/** Runs bash on the corpus definition, sourced with this run's prefixes and host ports. */
	static String definition(String commands) throws Exception {
		ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; source ./docker-containers.sh; " + commands)
			.directory(CORPUS.toFile()).redirectErrorStream(true);
		pb.environment().put("P", P);
		pb.environment().put("IMG", IMG);
		hostPorts.forEach((documented, free) -> pb.environment().put("HOST_PORT_" + documented, free));
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0).as("bash: %s\n%s", commands, out).isTrue();
		return out;
	}

	/** The stand-in entrypoint has written its first start's data (DATA_MB MiB into its data directory). */
	static void waitForFirstStart(String container) throws Exception {
		String check = "d=\"$DATA_DIR\"; for a in $(tr '\\0' ' ' </proc/1/cmdline); do case \"$a\" in --datadir=*) d=\"${a#--datadir=}\";; esac; done; "
				+ "[ -z \"$d\" ] || [ \"$(stat -c %s \"$d/stand-in.dat\" 2>/dev/null || echo 0)\" -ge $(( ${DATA_MB:-4} * 1048576 )) ]";
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (true) {
			JsonNode c = inspect(container);
			if (c.at("/State/Running").asBoolean() && !cliQuiet("docker", "exec", container, "sh", "-c", check + " && echo ready").isBlank()) {
				return;
			}
			assertThat(System.nanoTime()).as("%s running with its first start's data", container).isLessThan(deadline);
			Thread.sleep(200);
		}
	}

	// --- reading the engine ---

	/** name -> id and running state, and mounts, of every replica and anything renamed from one. */
	static Map<String, String> state() throws Exception {
		Map<String, String> out = new TreeMap<>();
		for (String id : lines(cliQuiet("docker", "ps", "-aq", "--filter", "name=^/" + P))) {
			JsonNode c = inspect(id);
			out.put(c.path("Name").asText(), c.path("Id").asText() + " " + c.at("/State/Running").asBoolean() + " "
					+ DockerRecreateIT.mounts(c) + " " + c.at("/HostConfig/RestartPolicy") + " " + c.at("/HostConfig/PortBindings"));
		}
		return out;
	}

	/** The ids of the other replicas. */
	static Map<String, String> otherIds(String except) throws Exception {
		Map<String, String> out = new TreeMap<>();
		for (String name : items.keySet()) {
			if (!(P + name).equals(except)) {
				out.put(name, inspect(P + name).path("Id").asText() + " " + inspect(P + name).at("/State/Running").asBoolean());
			}
		}
		return out;
	}

	/** The container's inspect, or a missing node when there is none by that name. */
	static JsonNode inspectIfThere(String name) throws Exception {
		String out = cliQuiet("docker", "container", "inspect", name);
		return out.isBlank() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : FactsJson.MAPPER.readTree(out).get(0);
	}

	static JsonNode inspect(String name) throws Exception {
		return FactsJson.MAPPER.readTree(cli("docker", "container", "inspect", name)).get(0);
	}

	@SuppressWarnings("unchecked")
	static Map<String, String> labels(JsonNode inspect) {
		JsonNode node = inspect.at("/Config/Labels");
		return node.isObject() ? FactsJson.MAPPER.convertValue(node, TreeMap.class) : Map.of();
	}

	/** The environment as a set: the CLI does not keep the order of -e options, and names are unique. */
	static Set<String> env(JsonNode inspect) {
		Set<String> out = new TreeSet<>();
		inspect.at("/Config/Env").forEach(e -> out.add(e.asText()));
		return out;
	}

	static Set<String> networks(JsonNode inspect) {
		Set<String> out = new TreeSet<>();
		inspect.at("/NetworkSettings/Networks").fieldNames().forEachRemaining(out::add);
		return out;
	}

	/** HostConfig.NetworkMode, another container's namespace named by that container's name rather than its id. */
	static String networkMode(JsonNode inspect, Map<String, String> namesById) {
		String mode = inspect.at("/HostConfig/NetworkMode").asText();
		return mode.startsWith("container:") ? "container:" + namesById.getOrDefault(mode.substring("container:".length()), mode) : mode;
	}

	/** "IP:HOSTPORT->PORT" per binding; the replica's free host ports mapped back to the documented ones. */
	static Set<String> ports(JsonNode inspect, boolean replica) {
		Map<String, String> back = new TreeMap<>();
		hostPorts.forEach((documented, free) -> back.put(free, documented));
		Set<String> out = new TreeSet<>();
		inspect.at("/HostConfig/PortBindings").fields().forEachRemaining(e -> {
			for (JsonNode b : e.getValue()) {
				String hostPort = b.path("HostPort").asText();
				out.add(b.path("HostIp").asText() + ":" + (replica ? back.getOrDefault(hostPort, "unmapped " + hostPort) : hostPort) + "->"
						+ e.getKey());
			}
		});
		return out;
	}

	/** Mounts as the corpus can compare them: anonymous volumes have other names on every run. */
	static List<String> mountShapes(JsonNode inspect) {
		List<String> out = new ArrayList<>();
		for (JsonNode m : inspect.path("Mounts")) {
			String type = m.path("Type").asText();
			String name = m.path("Name").asText();
			String source = type.equals("bind") ? m.path("Source").asText() : name.matches("[0-9a-f]{64}") ? "(anonymous)" : name;
			out.add(type + " " + source + " " + m.path("Destination").asText() + " " + m.path("RW").asBoolean());
		}
		out.sort(null);
		return out;
	}

	/** The replica's inspect as the capture saves it: this run's prefixes taken out. */
	static String unprefix(String json) {
		return json.replace(IMG, "").replace(P, "");
	}

	static List<String> volumesOf(String container) {
		List<String> out = new ArrayList<>();
		try {
			for (JsonNode c : FactsJson.MAPPER.readTree(cliQuiet("docker", "container", "inspect", container).isBlank() ? "[]"
					: cliQuiet("docker", "container", "inspect", container))) {
				for (JsonNode m : c.path("Mounts")) {
					if (m.path("Type").asText().equals("volume")) {
						out.add(m.path("Name").asText());
					}
				}
			}
		}
		catch (IOException e) {
			// nothing to remember: the container is gone
		}
		return out;
	}

	static List<String> ourImages() {
		return lines(cliQuiet("docker", "images", "--format", "{{.Repository}}:{{.Tag}}")).stream().filter(i -> i.startsWith(IMG)).toList();
	}

	static void deleteTree(Path dir) throws IOException {
		if (!dir.toString().startsWith("/srv/" + P) || !Files.exists(dir)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}

	static String freePort() throws IOException {
		// on every address: some documented ports are published on 0.0.0.0
		while (true) {
			try (ServerSocket socket = new ServerSocket(0)) {
				String port = String.valueOf(socket.getLocalPort());
				if (!hostPorts.containsValue(port)) {
					return port;
				}
			}
		}
	}

	static double seconds() {
		return (System.nanoTime() - started) / 1e9;
	}

	static String cli(String... command) throws Exception {
		return DockerRecreateIT.cli(command);
	}

	static String cliQuiet(String... command) {
		return DockerRecreateIT.cliQuiet(command);
	}

	static List<String> lines(String text) {
		return DockerRecreateIT.lines(text);
	}
}
