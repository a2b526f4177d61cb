package io.virtwise.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Volume;
import io.virtwise.LabRequirement;
import io.virtwise.advice.Figures;
import io.virtwise.advice.ProbeGap;
import io.virtwise.docker.inspect.DockerInspector;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.ProbeResult;
import io.virtwise.probe.core.ProbeOptions;
import io.virtwise.probe.core.ProbeReport;
import io.virtwise.probe.core.ProbeResults;
import io.virtwise.shell.CommandRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.test.autoconfigure.ShellTest;

/**
 * From containers in known configurations to advice, as a user types it: {@code probe docker
 * --container NAME --quick --only ...} then {@code advise --format json} through the shell's runner,
 * against the lab's real engine and the real rules/ folder.
 *
 * <p>Three containers, labelled io.virtwise.test=1 and with this run's own label: a bridge container
 * publishing {@code 127.0.0.1:PORT:80}, a {@code --network host} container with a volume, and a writer
 * that puts 120 MiB into its writable layer (and has a volume, so the storage probe can compare the
 * two), and a bare writer that does the same with no volume at all (the probe brings a scratch one). All of them, their volumes, and whatever the probe runs created are gone afterwards.
 * CI=true without an engine fails loudly (see {@link LabEngine}).
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerAdviceIT {

	static final String RUN_KEY = "io.virtwise.test.run";
	static final String RUN = "vwadv-" + UUID.randomUUID().toString().substring(0, 8);
	static final String BRIDGE = RUN + "-bridge";
	static final String HOST = RUN + "-host";
	static final String WRITER = RUN + "-writer";
	static final String BARE = RUN + "-bare";
	static final long WRITTEN = 120L << 20;

	static DockerClient docker;
	static DockerInspector inspector;
	static int hostPort;
	static final List<String> probeRuns = new ArrayList<>();

	@Autowired
	CommandRunner runner;

	@Autowired
	ProbeResults probeResults;

	@BeforeAll
	static void createContainers() throws Exception {
		docker = LabEngine.connect();
		try {
			docker.inspectImageCmd(ProbeOptions.IMAGE).exec();
		}
		catch (NotFoundException e) {
			LabRequirement.unavailable("the image " + ProbeOptions.IMAGE + " is missing (scripts/lab-up docker builds it)", e);
		}
		inspector = new DockerInspector(docker, (String) null);

		hostPort = freeLoopbackPort();
		create(BRIDGE, HostConfig.newHostConfig().withPortBindings(PortBinding.parse("127.0.0.1:" + hostPort + ":80")),
				c -> c.withExposedPorts(ExposedPort.tcp(80)).withCmd("sleep", "infinity"));

		docker.createVolumeCmd().withName(HOST + "-data").withLabels(labels()).exec();
		// its json-file log bounded too: the well-kept container no rule has anything to say about
		create(HOST, HostConfig.newHostConfig().withNetworkMode("host")
			.withBinds(new Bind(HOST + "-data", new Volume("/data")))
			.withLogConfig(new com.github.dockerjava.api.model.LogConfig(com.github.dockerjava.api.model.LogConfig.LoggingType.JSON_FILE,
					Map.of("max-size", "10m"))), c -> c.withCmd("sleep", "infinity"));

		docker.createVolumeCmd().withName(WRITER + "-vol").withLabels(labels()).exec();
		create(WRITER, HostConfig.newHostConfig().withBinds(new Bind(WRITER + "-vol", new Volume("/data"))),
				c -> c.withCmd("sh", "-c", "dd if=/dev/zero of=/var/tmp/blob bs=1M count=120 status=none && sleep infinity"));

		create(BARE, HostConfig.newHostConfig(),
				c -> c.withCmd("sh", "-c", "dd if=/dev/zero of=/var/tmp/blob bs=1M count=120 status=none && sleep infinity"));

		// the writers' 120 MiB must be in their writable layers before anyone advises on them
		for (String writer : List.of(WRITER, BARE)) {
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			Long size = null;
			while (System.nanoTime() < deadline) {
				size = inspector.container(writer).map(ContainerFacts::writableLayerBytes).orElse(null);
				if (size != null && size >= WRITTEN) {
					break;
				}
				Thread.sleep(250);
			}
			assertThat(size).as("bytes in %s's writable layer", writer).isNotNull().isGreaterThanOrEqualTo(WRITTEN);
		}
	}

	@AfterAll
	static void removeEverythingThisRunMade() {
		if (docker == null) {
			return;
		}
		for (Container c : ourContainers()) {
			docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
		}
		for (var v : ourVolumes()) {
			docker.removeVolumeCmd(v.getName()).exec();
		}
		assertThat(ourContainers()).as("containers labelled " + RUN_KEY + "=" + RUN + " left behind").isEmpty();
		assertThat(ourVolumes()).as("volumes labelled " + RUN_KEY + "=" + RUN + " left behind").isEmpty();
		// containers, volumes, images and host directories of every probe run this class started
		probeRuns.forEach(run -> LabEngine.assertNothingLeft(docker, run));
	}

	@Test
	@Order(1)
	void beforeAnyProbeTheRulesSayWhatWasNotMeasured() {
		List<JsonNode> advice = advise();

		JsonNode proxy = only(advice, "DOCKER-USERLAND-PROXY", "docker");
		assertThat(proxy.get("severity").asText()).isEqualTo("LOW");
		assertThat(evidence(proxy, "containers[" + BRIDGE + "].ports")).isEqualTo("127.0.0.1:" + hostPort + ":80 (docker-proxy)");
		assertThat(evidence(proxy, "probes[docker-network/published-proxy/*].tcp-rr-latency")).isEqualTo("not measured");

		JsonNode writer = only(advice, "DOCKER-STORAGE-WRITABLE-LAYER", WRITER);
		assertThat(writer.get("severity").asText()).isEqualTo("LOW");
		assertThat(Long.parseLong(evidence(writer, "containers[" + WRITER + "].writableLayerBytes"))).isGreaterThanOrEqualTo(WRITTEN);
		// its 120 MiB were written once and closed: no file open for writing names the directory, so no re-create
		assertThat(fixes(writer)).contains("virtwise probe docker --container " + WRITER
				+ " --only storage   # its writable layer against a volume")
			.anyMatch(f -> f.startsWith("du -xh --max-depth=3 "))
			.anyMatch(f -> f.startsWith("# no re-create printed: which directory holds its data is not known"))
			.noneMatch(f -> f.contains("<dir>") || f.startsWith("docker run") || f.startsWith("docker rm"));

		assertNothingFor(advice, HOST);
	}

	@Test
	@Order(2)
	void theBridgeContainersOwnNetworkProbeIsCitedByTheProxyAdvice() {
		String out = shell("probe docker --container " + BRIDGE + " --quick --only network");
		ProbeReport report = lastReport();
		System.out.println(out);
		System.out.println(LabEngine.summary(report));
		LabEngine.assertNothingLeft(docker, report.runId());

		ProbeResult proxied = find(report, "published-proxy");
		ProbeResult bridge = find(report, "bridge-ip");
		assertThat(proxied.subject()).isEqualTo(BRIDGE);
		assertThat(proxied.median()).isGreaterThan(0).isLessThan(10_000);
		assertThat(proxied.ratioToBaseline()).as("docker-proxy against the native loopback, same core: the rule's threshold")
			.isGreaterThanOrEqualTo(1.5);

		List<JsonNode> advice = advise();
		JsonNode proxy = only(advice, "DOCKER-USERLAND-PROXY", "docker");
		assertThat(proxy.get("severity").asText()).isEqualTo("MEDIUM");
		assertThat(evidence(proxy, "docker.userlandProxy")).isEqualTo("true");
		assertThat(evidence(proxy, "containers[" + BRIDGE + "].ports")).isEqualTo("127.0.0.1:" + hostPort + ":80 (docker-proxy)");
		String key = Figures.key(proxied);
		assertThat(key).isEqualTo("probes[docker-network/published-proxy/" + BRIDGE + "].tcp-rr-latency");
		assertThat(evidence(proxy, key + ".median")).isEqualTo(Figures.number(proxied.median(), "us"));
		assertThat(evidence(proxy, key + ".baselineMedian")).isEqualTo(Figures.number(proxied.baselineMedian(), "us"));
		assertThat(evidence(proxy, key + ".ratioToBaseline")).isEqualTo(Figures.number(proxied.ratioToBaseline()));
		assertThat(evidence(proxy, key + ".placement")).isEqualTo("same-core");
		assertThat(fixes(proxy)).anyMatch(f -> f.contains(".\"userland-proxy\" = false") && f.contains("jq"));
		assertThat(evidenceFacts(proxy)).noneMatch(f -> f.contains(HOST) || f.contains(WRITER));

		// Bridge and NAT: measured on its own bridge path now, so MEDIUM at 1.2x loopback or more, else silent
		Optional<JsonNode> nat = find(advice, "DOCKER-NET-BRIDGE-NAT", BRIDGE);
		if (bridge.ratioToBaseline() >= 1.2) {
			JsonNode r = nat.orElseThrow(() -> new AssertionError("bridge-ip at " + bridge.ratioToBaseline() + "x, no DOCKER-NET-BRIDGE-NAT"));
			assertThat(r.get("severity").asText()).isEqualTo("MEDIUM");
			assertThat(evidence(r, Figures.key(bridge) + ".median")).isEqualTo(Figures.number(bridge.median(), "us"));
			// the command itself publishes nothing; its comment says what it was ("was -p ...")
			assertThat(fixes(r)).anyMatch(f -> f.contains("docker create --name " + BRIDGE + " --hostname ")
					&& commandPart(f).contains(" --network host ") && !commandPart(f).contains(" -p ")
					&& f.contains("now listens on the host's own 80/tcp (was -p 127.0.0.1:" + hostPort + ":80)"));
			assertThat(r.get("rollback")).isNotEmpty();
		}
		else {
			assertThat(nat).as("bridge-ip measured at %sx loopback", bridge.ratioToBaseline()).isEmpty();
		}
		assertNothingFor(advice, HOST);
	}

	@Test
	@Order(3)
	void theWritersOwnStorageProbeDecidesTheWritableLayerAdvice() {
		ownStorageProbeDecidesTheWritableLayerAdvice(WRITER);
	}

	/** Its own volume-less probe used to skip the volume and leave the advice asking for that same probe. */
	@Test
	@Order(4)
	void aWriterWithoutAVolumeIsComparedWithAScratchVolume() {
		ProbeReport report = ownStorageProbeDecidesTheWritableLayerAdvice(BARE);
		assertThat(report.notes()).anyMatch(n -> n.contains(BARE + " has no read-write volume") && n.contains("scratch volume"));
		assertThat(report.skipped()).noneMatch(s -> "volume".equals(s.path()) && "all".equals(s.what()));
		assertThat(find(report, "volume").commands()).anyMatch(c -> c.contains(":/probe/volume"));
	}

	/**
	 * {@code probe docker --container NAME --quick --only storage}, then advise: the writable-layer
	 * advice for NAME is measured, MEDIUM with the widest gap cited or silent, never "not measured".
	 */
	ProbeReport ownStorageProbeDecidesTheWritableLayerAdvice(String name) {
		String out = shell("probe docker --container " + name + " --quick --only storage");
		ProbeReport report = lastReport();
		System.out.println(out);
		System.out.println(LabEngine.summary(report));
		LabEngine.assertNothingLeft(docker, report.runId());
		assertThat(find(report, "writable-layer").subject()).isEqualTo(name);
		assertThat(find(report, "volume").subject()).isEqualTo(name);

		List<JsonNode> advice = advise();
		ProbeGap gap = ProbeGap.widest(report.results(), name, "writable-layer", "volume");
		assertThat(gap).as("writable layer and volume measured on the same metric").isNotNull();
		System.out.printf("widest gap: %s %s %.2fx of the volume%n", gap.slow().path(), gap.slow().metric(), gap.ratio());
		Optional<JsonNode> writer = find(advice, "DOCKER-STORAGE-WRITABLE-LAYER", name);
		if (gap.ratio() <= 0.8) {
			JsonNode r = writer.orElseThrow(() -> new AssertionError("gap " + gap.ratio() + ", no DOCKER-STORAGE-WRITABLE-LAYER"));
			assertThat(r.get("severity").asText()).isEqualTo("MEDIUM");
			assertThat(Long.parseLong(evidence(r, "containers[" + name + "].writableLayerBytes"))).isGreaterThanOrEqualTo(WRITTEN);
			assertThat(evidence(r, Figures.key(gap.slow()) + ".median")).isEqualTo(Figures.number(gap.slow().median(), gap.slow().unit()));
			assertThat(evidence(r, Figures.key(gap.slow()) + ".ratioToVolume")).isEqualTo(Figures.number(gap.ratio()));
			assertThat(fixes(r)).noneMatch(f -> f.startsWith("virtwise probe docker"))
				.anyMatch(f -> f.startsWith("# no re-create printed: which directory holds its data is not known"));
		}
		else {
			// measured, and the writable layer keeps up with a volume here: nothing to fix
			assertThat(writer).as("writable layer at %sx of a volume", gap.ratio()).isEmpty();
		}
		assertNothingFor(advice, HOST);
		return report;
	}

	// --- the shell ---

	String shell(String line) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = runner.runLine(line, new PrintWriter(out), new PrintWriter(err), new InputReader() {
		});
		assertThat(code).as(line + ": " + err).isZero();
		return out.toString();
	}

	ProbeReport lastReport() {
		ProbeReport report = probeResults.latestReport();
		assertThat(report).isNotNull();
		probeRuns.add(report.runId());
		return report;
	}

	List<JsonNode> advise() {
		try {
			JsonNode document = FactsJson.MAPPER.readTree(shell("advise --format json"));
			List<JsonNode> out = new ArrayList<>();
			document.get("recommendations").forEach(out::add);
			return out;
		}
		catch (IOException e) {
			throw new AssertionError(e);
		}
	}

	static Optional<JsonNode> find(List<JsonNode> advice, String id, String subject) {
		List<JsonNode> found = advice.stream()
			.filter(r -> r.get("id").asText().equals(id) && r.get("subject").asText().equals(subject)).toList();
		assertThat(found).as(id + " for " + subject).hasSizeLessThanOrEqualTo(1);
		return found.stream().findFirst();
	}

	static JsonNode only(List<JsonNode> advice, String id, String subject) {
		return find(advice, id, subject).orElseThrow(() -> new AssertionError("no " + id + " for " + subject + " in "
				+ advice.stream().map(r -> r.get("id").asText() + " " + r.get("subject").asText()).toList()));
	}

	static String evidence(JsonNode recommendation, String fact) {
		for (JsonNode e : recommendation.get("evidence")) {
			if (e.get("fact").asText().equals(fact)) {
				return e.get("value").asText();
			}
		}
		throw new AssertionError("no evidence " + fact + " in " + recommendation.get("evidence"));
	}

	static List<String> evidenceFacts(JsonNode recommendation) {
		List<String> facts = new ArrayList<>();
		recommendation.get("evidence").forEach(e -> facts.add(e.get("fact").asText()));
		return facts;
	}

	static List<String> fixes(JsonNode recommendation) {
		List<String> lines = new ArrayList<>();
		recommendation.get("fix").forEach(f -> lines.add(f.asText()));
		return lines;
	}

	/** A fix line without its trailing comment (DockerRunLine appends notes after "  # "). */
	static String commandPart(String fix) {
		int comment = fix.indexOf("  # ");
		return comment < 0 ? fix : fix.substring(0, comment);
	}

	/** Host networking and a volume: neither the network rules nor the storage rule have anything to say. */
	static void assertNothingFor(List<JsonNode> advice, String name) {
		assertThat(advice).as("advice about " + name)
			.noneMatch(r -> r.get("subject").asText().equals(name))
			.noneMatch(r -> evidenceFacts(r).stream().anyMatch(f -> f.contains("[" + name + "]")));
	}

	static ProbeResult find(ProbeReport report, String path) {
		String metric = report.results().stream().anyMatch(r -> r.probe().equals("docker-network")) ? "tcp-rr-latency"
				: "randwrite-iops";
		return report.results().stream()
			.filter(r -> r.path().equals(path) && r.metric().equals(metric)
					&& (r.placement() == null || r.placement().equals("same-core")))
			.findFirst().orElseThrow(() -> new AssertionError("no " + path + " " + metric + " in " + LabEngine.summary(report)));
	}

	// --- the containers ---

	static Map<String, String> labels() {
		return Map.of("io.virtwise.test", "1", RUN_KEY, RUN);
	}

	static void create(String name, HostConfig host, java.util.function.UnaryOperator<CreateContainerCmd> more) {
		CreateContainerCmd cmd = docker.createContainerCmd(ProbeOptions.IMAGE).withName(name)
			.withLabels(new HashMap<>(labels())).withHostConfig(host);
		docker.startContainerCmd(more.apply(cmd).exec().getId()).exec();
	}

	static List<Container> ourContainers() {
		return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RUN_KEY, RUN)).exec();
	}

	static List<com.github.dockerjava.api.command.InspectVolumeResponse> ourVolumes() {
		var volumes = docker.listVolumesCmd().withFilter("label", List.of(RUN_KEY + "=" + RUN)).exec().getVolumes();
		return volumes == null ? List.of() : volumes;
	}

	static int freeLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}
}
