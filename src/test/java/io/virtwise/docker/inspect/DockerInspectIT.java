package io.virtwise.docker.inspect;

import io.virtwise.LabRequirement;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;

import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Volume;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.EngineFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.MountInfo;
import io.virtwise.host.HostInspector;
import io.virtwise.shell.CommandRunner;
import io.virtwise.shell.ShellRun;
import io.virtwise.shell.NameCompletion;
import io.virtwise.shell.TabCompletion;
import io.virtwise.shell.ExitCodes;
import io.virtwise.gather.FactsGatherer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.test.autoconfigure.ShellTest;

/**
 * The real engine: containers made here in known configurations (labelled io.virtwise.test=1
 * and with this run's own label), inspected through DockerInspector and the shell, and removed
 * again with their volume, however the tests end. With CI=true a missing engine fails the run;
 * elsewhere these tests are skipped with the reason.
 */
@SpringBootTest(properties = "virtwise.launcher.enabled=false")
@ShellTest
class DockerInspectIT {

	static final String IMAGE = "virtwise/probe:latest";
	static final String RUN_KEY = "io.virtwise.test.run";
	static final String RUN = "vwit-" + UUID.randomUUID().toString().substring(0, 8);
	static final String SECRET = "hunter2-secret";
	static final long FIFTY_MB = 50L << 20;

	static DockerClient client;
	static DockerInspector inspector;
	static Path bindDir;
	static int hostPort;

	@Autowired
	CommandRunner runner;

	@Autowired
	FactsGatherer gatherer;

	@Autowired
	@Qualifier(NameCompletion.CONTAINERS)
	NameCompletion completion;

	@Autowired
	org.springframework.shell.jline.CommandCompleter completer;

	@TempDir
	Path temp;

	/** In CI a missing engine is a failure, not a reason to skip. */
	static void needs(boolean condition, String reason) {
		LabRequirement.require(condition, reason + " (scripts/lab-up starts the engine and builds the image)");
	}

	@BeforeAll
	static void createContainers() throws Exception {
		try {
			client = DockerConnector.connect(null);
		}
		catch (DockerUnavailableException e) {
			needs(false, "no Docker engine: " + e.getMessage());
		}
		boolean image;
		try {
			client.inspectImageCmd(IMAGE).exec();
			image = true;
		}
		catch (NotFoundException e) {
			image = false;
		}
		needs(image, "the image " + IMAGE + " is missing");
		inspector = new DockerInspector(client, (String) null);

		hostPort = freeLoopbackPort();
		create("bridge", HostConfig.newHostConfig()
			.withPortBindings(PortBinding.parse("127.0.0.1:" + hostPort + ":80")), c -> c.withExposedPorts(ExposedPort.tcp(80)));
		create("host", HostConfig.newHostConfig().withNetworkMode("host"), c -> c);

		client.createVolumeCmd().withName(RUN + "-data").withLabels(labels()).exec();
		bindDir = Files.createTempDirectory("vwit-bind");
		create("storage", HostConfig.newHostConfig()
			.withBinds(new Bind(RUN + "-data", new Volume("/data")), new Bind(bindDir.toString(), new Volume("/srv/in"), AccessMode.ro))
			.withTmpFs(Map.of("/scratch", "size=64m")), c -> c);

		create("writer", HostConfig.newHostConfig(), c -> c.withCmd("sh", "-c",
				"dd if=/dev/zero of=/var/tmp/blob bs=1M count=50 status=none && sleep infinity"));
		create("limits", HostConfig.newHostConfig().withCpusetCpus("0").withNanoCPUs(500_000_000L).withMemory(256L << 20),
				c -> c);
		create("secret", HostConfig.newHostConfig(), c -> c.withEnv("DB_PASSWORD=" + SECRET, "APP_MODE=prod"));
		// named here, kept by the engine as container:<id>
		create("joined", HostConfig.newHostConfig().withNetworkMode("container:" + RUN + "-bridge"), c -> c);

		// The writer's 50 MB must be in its writable layer before anyone measures it.
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			Long size = inspector.container(RUN + "-writer").map(ContainerFacts::writableLayerBytes).orElse(null);
			if (size != null && size >= FIFTY_MB) {
				break;
			}
			Thread.sleep(250);
		}
	}

	@AfterAll
	static void removeEverythingThisRunMade() throws IOException {
		if (client == null) {
			return;
		}
		try {
			for (Container c : ourContainers()) {
				client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
			}
			for (com.github.dockerjava.api.command.InspectVolumeResponse v : ourVolumes()) {
				client.removeVolumeCmd(v.getName()).exec();
			}
			assertThat(ourContainers()).as("containers labelled " + RUN_KEY + "=" + RUN + " left behind").isEmpty();
			assertThat(ourVolumes()).as("volumes labelled " + RUN_KEY + "=" + RUN + " left behind").isEmpty();
		}
		finally {
			if (bindDir != null) {
				Files.deleteIfExists(bindDir);
			}
			client.close();
		}
	}

	@Test
	void engineFacts() {
		EngineFacts engine = inspector.engine();
		assertThat(engine.version()).isNotBlank();
		assertThat(engine.apiVersion()).matches("1\\.\\d+");
		assertThat(engine.storageDriver()).isNotBlank();
		assertThat(engine.cgroupVersion()).isIn("1", "2");
		assertThat(engine.rootDir()).isNotBlank();
		assertThat(engine.containersRunning()).isGreaterThanOrEqualTo(6);
		// dockerd runs on this machine, so its settings can be read
		assertThat(engine.userlandProxy()).isNotNull();
	}

	@Test
	void bridgeWithAPublishedPort() {
		ContainerFacts bridge = container("bridge");
		assertThat(bridge.state()).isEqualTo("running");
		assertThat(bridge.networkMode()).isEqualTo("bridge");
		assertThat(bridge.ipAddress()).isNotBlank();
		assertThat(bridge.ports()).hasSize(1);
		io.virtwise.facts.PortBinding port = bridge.ports().get(0);
		assertThat(port.containerPort()).isEqualTo(80);
		assertThat(port.hostIp()).isEqualTo("127.0.0.1");
		assertThat(port.hostPort()).isEqualTo(hostPort);
		assertThat(port.path()).isEqualTo(Boolean.TRUE.equals(inspector.engine().userlandProxy()) ? "docker-proxy" : "dnat");
		assertThat(bridge.runCommand()).contains("-p 127.0.0.1:" + hostPort + ":80");
	}

	@Test
	void hostNetworking() {
		ContainerFacts host = container("host");
		assertThat(host.networkMode()).isEqualTo("host");
		assertThat(host.ports()).isEmpty();
		assertThat(host.runCommand()).contains("--network host");
	}

	@Test
	void aSharedNetworkNamespaceIsNamedByTheOtherContainersName() {
		String bridgeId = client.inspectContainerCmd(RUN + "-bridge").exec().getId();
		assertThat(client.inspectContainerCmd(RUN + "-joined").exec().getHostConfig().getNetworkMode())
			.as("what the engine keeps").isEqualTo("container:" + bridgeId);
		// one container shown, and all of them listed: both name the other container, whose id a re-create changes
		assertThat(container("joined").runCommand()).contains(" --network container:" + RUN + "-bridge ").doesNotContain(bridgeId);
		assertThat(inspector.containers().stream().filter(c -> c.name().equals(RUN + "-joined")).findFirst().orElseThrow()
			.runCommand()).contains(" --network container:" + RUN + "-bridge ");
	}

	@Test
	void volumeBindAndTmpfs() {
		ContainerFacts storage = container("storage");
		assertThat(storage.mounts()).extracting(MountInfo::type).containsExactlyInAnyOrder("volume", "bind", "tmpfs");
		assertThat(storage.mounts()).filteredOn(m -> m.type().equals("volume")).singleElement()
			.satisfies(m -> assertThat(m.name()).isEqualTo(RUN + "-data"));
		assertThat(storage.mounts()).filteredOn(m -> m.type().equals("bind")).singleElement()
			.satisfies(m -> assertThat(m.readOnly()).isTrue());
		assertThat(storage.runCommand()).contains("-v " + RUN + "-data:/data", "--tmpfs /scratch:size=64m");
	}

	@Test
	void theWritableLayerHoldsFiftyMegabytes() {
		assertThat(container("writer").writableLayerBytes()).isGreaterThanOrEqualTo(FIFTY_MB);
	}

	@Test
	void cpusetAndLimits() {
		ContainerFacts limits = container("limits");
		assertThat(limits.cpusetCpus()).containsExactly("0");
		assertThat(limits.cpuLimit()).isEqualTo(0.5);
		assertThat(limits.memoryLimitBytes()).isEqualTo(256L << 20);
		assertThat(limits.runCommand()).contains("--cpuset-cpus 0 --cpus 0.5 --memory 256m");
	}

	@Test
	void environmentNamesWithoutValues() throws Exception {
		ContainerFacts secret = container("secret");
		assertThat(secret.envNames()).contains("DB_PASSWORD", "APP_MODE");
		assertThat(secret.runCommand()).contains("-e 'DB_PASSWORD=<redacted>'").doesNotContain(SECRET);
		assertThat(FactsJson.MAPPER.writeValueAsString(secret)).doesNotContain(SECRET);
	}

	@Test
	void theSecretNeverShowsThroughTheShell() throws Exception {
		for (String command : List.of("docker show " + RUN + "-secret", "docker show " + RUN + "-secret --format json",
				"docker ls", "docker ls --format json")) {
			ShellRun run = run(command);
			assertThat(run.code()).as(command + ": " + run.err()).isZero();
			assertThat(run.out() + run.err()).as(command).doesNotContain(SECRET);
		}
		Path file = temp.resolve("facts.json");
		ShellRun export = run("facts export " + file);
		assertThat(export.code()).as(export.err()).isZero();
		assertThat(Files.readString(file)).contains("DB_PASSWORD").doesNotContain(SECRET);
	}

	@Test
	void lsAndShowThroughTheShell() {
		ShellRun ls = run("docker ls");
		assertThat(ls.code()).as(ls.err()).isZero();
		String bridgeLine = ls.out().lines().filter(l -> l.startsWith(RUN + "-bridge ")).findFirst().orElseThrow();
		assertThat(bridgeLine).contains("running", "bridge", "127.0.0.1:" + hostPort + "->80/tcp via ");
		assertThat(ls.out().lines().filter(l -> l.startsWith(RUN + "-writer ")).findFirst().orElseThrow()).contains("MiB");
		assertThat(ls.out().lines().filter(l -> l.startsWith(RUN + "-limits ")).findFirst().orElseThrow())
			.contains("cpu 0.5, mem 256 MiB");
		assertThat(ls.out()).contains(RUN + "-host", RUN + "-storage", RUN + "-secret");

		ShellRun show = run("docker show " + RUN + "-storage");
		assertThat(show.code()).as(show.err()).isZero();
		assertThat(show.out()).contains("Container " + RUN + "-storage", "mount volume", "mount bind", "mount tmpfs",
				"run line", "docker run -d --name " + RUN + "-storage");

		ShellRun engine = run("docker engine");
		assertThat(engine.code()).as(engine.err()).isZero();
		assertThat(engine.out()).contains("Docker engine at ", "storage", "userland proxy");
	}

	@Test
	void anUnknownNameIsAUsageErrorAndTheShellGoesOn() {
		ShellRun run = run("docker show " + RUN + "-nope");
		assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
		assertThat(run.err().lines()).hasSize(1).first().asString()
			.isEqualTo("virtwise: no container named '" + RUN + "-nope' (docker ls lists them)");
		assertThat(run("docker ls").code()).isZero();
	}

	@Test
	void namesCompleteWithTab() {
		CompletionContext context = new CompletionContext(List.of("docker", "show", ""), 2, 0, null, null);
		assertThat(completion.apply(context)).extracting(CompletionProposal::value)
			.contains(RUN + "-bridge", RUN + "-secret");
		// and as JLine asks when part of the name is typed
		assertThat(TabCompletion.complete(completer, "docker show " + RUN + "-br")).contains(RUN + "-bridge");
	}

	@Test
	void liveFactsIncludeTheEngineAndEveryContainer() {
		Facts facts = gatherer.gather();
		assertThat(facts.docker()).isNotNull();
		assertThat(facts.containers()).extracting(ContainerFacts::name).contains(RUN + "-bridge", RUN + "-host",
				RUN + "-storage", RUN + "-writer", RUN + "-limits", RUN + "-secret");
	}

	@Test
	void anEngineThatIsNotThereIsSkippedByGatherAndRefusedByUse() {
		DockerAccess missing = new DockerAccess("unix:///nonexistent.sock");
		Facts hostOnly = new FactsGatherer(HostInspector.live(), missing, Optional::empty, List::of).gather();
		assertThat(hostOnly.docker()).isNull();
		assertThat(hostOnly.containers()).isEmpty();
		assertThat(hostOnly.host()).isNotNull();
		assertThat(hostOnly.dockerUnavailable()).contains("no socket at /nonexistent.sock");
		assertThat(missing.namesIfAvailable()).isEmpty();
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> missing.use(DockerInspector::engine))
			.isInstanceOf(DockerUnavailableException.class)
			.hasMessageContaining("no socket at /nonexistent.sock");
	}

	ShellRun run(String line) {
		return ShellRun.of(runner, line);
	}

	static ContainerFacts container(String suffix) {
		return inspector.container(RUN + "-" + suffix).orElseThrow(() -> new AssertionError("no container " + RUN + "-" + suffix));
	}

	static Map<String, String> labels() {
		return Map.of("io.virtwise.test", "1", RUN_KEY, RUN);
	}

	static void create(String suffix, HostConfig host, java.util.function.UnaryOperator<CreateContainerCmd> more) {
		CreateContainerCmd cmd = client.createContainerCmd(IMAGE).withName(RUN + "-" + suffix)
			.withLabels(new HashMap<>(labels()))
			.withHostConfig(host);
		String id = more.apply(cmd).exec().getId();
		client.startContainerCmd(id).exec();
	}

	static List<Container> ourContainers() {
		return client.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RUN_KEY, RUN)).exec();
	}

	static List<com.github.dockerjava.api.command.InspectVolumeResponse> ourVolumes() {
		List<com.github.dockerjava.api.command.InspectVolumeResponse> volumes = client.listVolumesCmd()
			.withFilter("label", List.of(RUN_KEY + "=" + RUN))
			.exec()
			.getVolumes();
		return volumes == null ? List.of() : volumes;
	}

	static int freeLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}
}
