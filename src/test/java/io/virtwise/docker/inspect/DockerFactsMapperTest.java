package io.virtwise.docker.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.redact.Redactor;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.EngineFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.MountInfo;
import io.virtwise.facts.PortBinding;
import org.junit.jupiter.api.Test;

/** The mapper on JSON captured from this machine's Docker 20.10 engine (fixtures/docker). */
class DockerFactsMapperTest {

	static final EngineContext PROXY_ON = EngineContext.of(DockerFixtures.read(DockerFixtures.INFO), true);

	static ContainerFacts facts(String name) {
		return facts(name, PROXY_ON);
	}

	static ContainerFacts facts(String name, EngineContext engine) {
		return DockerFactsMapper.container(DockerFixtures.container(name), engine, DockerFixtures.imageConfig());
	}

	@Test
	void engineFactsComeFromInfoVersionAndTheDaemonSettings() {
		EngineFacts engine = DockerFactsMapper.engine(DockerFixtures.read(DockerFixtures.INFO),
				DockerFixtures.read(DockerFixtures.VERSION), new DaemonSettings(true, true));
		assertThat(engine.version()).isEqualTo("20.10.24+dfsg1");
		assertThat(engine.apiVersion()).isEqualTo("1.41");
		assertThat(engine.storageDriver()).isEqualTo("overlay2");
		assertThat(engine.backingFilesystem()).isEqualTo("extfs");
		assertThat(engine.cgroupDriver()).isEqualTo("cgroupfs");
		assertThat(engine.cgroupVersion()).isEqualTo("1");
		assertThat(engine.userlandProxy()).isTrue();
		assertThat(engine.iptables()).isTrue();
		assertThat(engine.loggingDriver()).isEqualTo("json-file");
		assertThat(engine.defaultRuntime()).isEqualTo("runc");
		assertThat(engine.rootDir()).isEqualTo("/var/lib/docker");
		assertThat(engine.containersRunning()).isPositive();
	}

	@Test
	void infoAloneLeavesWhatItCannotTellUnknown() {
		EngineFacts engine = DockerFactsMapper.engine(DockerFixtures.read(DockerFixtures.INFO), null, DaemonSettings.UNKNOWN);
		assertThat(engine.version()).isEqualTo("20.10.24+dfsg1");
		assertThat(engine.apiVersion()).isNull();
		assertThat(engine.userlandProxy()).isNull();
		assertThat(engine.iptables()).isNull();
	}

	@Test
	void aPublishedPortCarriesItsPath() {
		ContainerFacts bridge = facts("vw-fx-bridge");
		assertThat(bridge.name()).isEqualTo("vw-fx-bridge");
		assertThat(bridge.image()).isEqualTo("virtwise/probe:latest");
		assertThat(bridge.state()).isEqualTo("running");
		assertThat(bridge.networkMode()).isEqualTo("bridge");
		assertThat(bridge.ipAddress()).startsWith("172.17.");
		assertThat(bridge.ports()).containsExactly(new PortBinding(80, "tcp", "127.0.0.1", 18080, "docker-proxy"));
		assertThat(bridge.publishedPortCount()).isEqualTo(1);

		assertThat(facts("vw-fx-bridge", new EngineContext(false, true, "json-file", "runc", Map.of())).ports())
			.containsExactly(new PortBinding(80, "tcp", "127.0.0.1", 18080, "dnat"));
		assertThat(facts("vw-fx-bridge", EngineContext.UNKNOWN).ports())
			.containsExactly(new PortBinding(80, "tcp", "127.0.0.1", 18080, null));
	}

	@Test
	void hostNetworkingHasNoPortsAndNoAddressOfItsOwn() {
		ContainerFacts host = facts("vw-fx-host");
		assertThat(host.networkMode()).isEqualTo("host");
		assertThat(host.ports()).isEmpty();
		assertThat(host.ipAddress()).isNull();
	}

	@Test
	void aStoppedContainerShowsThePortsItAskedFor() {
		ContainerFacts stopped = facts("vw-fx-stopped");
		assertThat(stopped.state()).isEqualTo("created");
		assertThat(stopped.ports()).containsExactly(new PortBinding(8080, "udp", null, 18081, "docker-proxy"));
		assertThat(facts("vw-fx-exited").state()).isEqualTo("exited");
	}

	@Test
	void mountsIncludeVolumesBindsAndBothKindsOfTmpfs() {
		List<MountInfo> mounts = facts("vw-fx-storage").mounts();
		// sorted by destination
		assertThat(mounts).extracting(MountInfo::type).containsExactly("volume", "tmpfs", "tmpfs", "bind");
		assertThat(mounts.get(0)).isEqualTo(new MountInfo("volume", "vw-fx-data",
				"/var/lib/docker/volumes/vw-fx-data/_data", "/data", false));
		assertThat(mounts.get(1)).isEqualTo(new MountInfo("tmpfs", null, null, "/run/cache", false));
		assertThat(mounts.get(2)).isEqualTo(new MountInfo("tmpfs", null, null, "/scratch", false));
		assertThat(mounts.get(3).source()).startsWith("/tmp/vw-fx-bind.");
		assertThat(mounts.get(3).destination()).isEqualTo("/srv/in");
		assertThat(mounts.get(3).readOnly()).isTrue();
	}

	@Test
	void theWritableLayerIsMeasured() {
		assertThat(facts("vw-fx-writer").writableLayerBytes()).isGreaterThanOrEqualTo(50L << 20);
		assertThat(facts("vw-fx-bridge").writableLayerBytes()).isZero();
	}

	@Test
	void withoutSizeTheWritableLayerIsUnknown() {
		JsonNode noSize = DockerFixtures.container("vw-fx-writer").deepCopy();
		((com.fasterxml.jackson.databind.node.ObjectNode) noSize).remove(List.of("SizeRw", "SizeRootFs"));
		assertThat(DockerFactsMapper.container(noSize, PROXY_ON, null).writableLayerBytes()).isNull();
	}

	@Test
	void limitsAndPinning() {
		ContainerFacts limits = facts("vw-fx-limits");
		assertThat(limits.cpusetCpus()).containsExactly("1");
		assertThat(limits.cpuLimit()).isEqualTo(0.5);
		assertThat(limits.memoryLimitBytes()).isEqualTo(256L << 20);
		assertThat(limits.restartPolicy()).isEqualTo("unless-stopped");

		ContainerFacts quota = facts("vw-fx-quota");
		assertThat(quota.cpuLimit()).isEqualTo(1.5);
		assertThat(quota.memoryLimitBytes()).isNull();
		assertThat(quota.seccompProfile()).isEqualTo("unconfined");

		ContainerFacts free = facts("vw-fx-bridge");
		assertThat(free.cpusetCpus()).isEmpty();
		assertThat(free.cpuLimit()).isNull();
		assertThat(free.memoryLimitBytes()).isNull();
		assertThat(free.restartPolicy()).isEqualTo("no");
	}

	@Test
	void seccompIsTheEnginesDefaultUnlessSaidOtherwise() {
		assertThat(facts("vw-fx-bridge").seccompProfile()).isEqualTo("default");
		assertThat(facts("vw-fx-bridge", EngineContext.UNKNOWN).seccompProfile()).isNull();
		assertThat(facts("vw-fx-bridge").privileged()).isFalse();
		assertThat(DockerFactsMapper.seccomp(List.of(), true, true)).isEqualTo("unconfined");
		assertThat(DockerFactsMapper.seccomp(List.of("seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\"}"), false, true))
			.isEqualTo("custom");
		assertThat(DockerFactsMapper.seccomp(List.of("no-new-privileges"), false, false)).isEqualTo("unconfined");
	}

	@Test
	void environmentValuesNeverEnterTheFacts() {
		ContainerFacts secret = facts("vw-fx-secret");
		assertThat(secret.envNames()).containsExactly("DB_PASSWORD", "APP_MODE");
		assertThat(secret.labels()).containsEntry("api.token", "<redacted>").containsEntry("team", "perf");
		assertThat(secret.runCommand()).contains("-e 'DB_PASSWORD=<redacted>'");
		String json = FactsJson.write(Facts.ofHost(null, "now", "test").withDocker(null, List.of(secret)));
		assertThat(json).contains("DB_PASSWORD").doesNotContain("hunter2", "tok-abc123");
	}

	@Test
	void everyCapturedContainerMapsAndNoSecretLeaksFromAny() {
		List<ContainerFacts> all = new ArrayList<>();
		for (JsonNode c : DockerFixtures.read(DockerFixtures.CONTAINERS)) {
			all.add(DockerFactsMapper.container(c, PROXY_ON, null));
		}
		assertThat(all).extracting(ContainerFacts::name).containsExactly("vw-fx-bridge", "vw-fx-host", "vw-fx-storage",
				"vw-fx-writer", "vw-fx-limits", "vw-fx-quota", "vw-fx-secret", "vw-fx-stopped", "vw-fx-exited");
		assertThat(all).allSatisfy(c -> {
			assertThat(c.id()).hasSize(64);
			assertThat(c.runCommand()).startsWith("docker run ");
		});
		assertThat(FactsJson.write(Facts.ofHost(null, "now", "test").withDocker(null, all))).doesNotContain("hunter2");
	}

	@Test
	void secretLookingKeys() {
		assertThat(Redactor.looksSecret("DB_PASSWORD")).isTrue();
		assertThat(Redactor.looksSecret("api.token")).isTrue();
		assertThat(Redactor.looksSecret("aws_secret_access_key")).isTrue();
		assertThat(Redactor.looksSecret("Credentials")).isTrue();
		assertThat(Redactor.looksSecret("team")).isFalse();
		assertThat(DockerFactsMapper.envName("A=b=c")).isEqualTo("A");
		assertThat(DockerFactsMapper.envName("BARE")).isEqualTo("BARE");
	}
}
