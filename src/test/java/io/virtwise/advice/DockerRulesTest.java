package io.virtwise.advice;

import io.virtwise.advice.fix.DaemonJsonKey;
import static io.virtwise.advice.RuleTesting.assertComplete;
import static io.virtwise.advice.RuleTesting.assertStableOnceJitCompiled;
import static io.virtwise.advice.RuleTesting.found;
import static io.virtwise.advice.RuleTesting.get;
import static io.virtwise.advice.RuleTesting.ids;
import static io.virtwise.advice.RuleTesting.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The docker rule families against untuned, tuned and focused fixtures. */
class DockerRulesTest {

	static final List<String> DOCKER_IDS = List.of("DOCKER-NET-BRIDGE-NAT", "DOCKER-USERLAND-PROXY",
			"DOCKER-STORAGE-WRITABLE-LAYER", "DOCKER-STORAGE-COPY-UP", "DOCKER-STORAGE-DRIVER", "DOCKER-LIMITS-PINNED-GUESTS");

	static List<String> dockerIds() {
		return DOCKER_IDS;
	}

	static List<Recommendation> advise(String fixture) {
		return RuleTesting.advise(Fixtures.load(fixture));
	}

	static List<Recommendation> advise(String fixture, Consumer<ObjectNode> edit) {
		return RuleTesting.advise(Fixtures.load(fixture, edit));
	}

	/** The probe at index {@code i} of the fixture's probes. */
	static ObjectNode probe(ObjectNode tree, int i) {
		return Fixtures.at(tree, "/probes/" + i);
	}

	/** The container with this name. */
	static ObjectNode container(ObjectNode tree, String name) {
		for (var node : tree.withArray("containers")) {
			if (node.path("name").asText().equals(name)) {
				return (ObjectNode) node;
			}
		}
		throw new AssertionError("no container " + name);
	}

	static final String KEY_PROXY_API = "probes[docker-network/published-proxy/api].tcp-rr-latency";
	static final String KEY_DNAT_CACHE = "probes[docker-network/published-dnat/cache].tcp-rr-latency";
	static final String KEY_COPY_UP = "probes[docker-storage/writable-layer/lab].copy-up-ms";
	static final String KEY_SMALL_FILES = "probes[docker-storage/writable-layer/lab].small-file-ops";

	// --- untuned: every rule the fixtures can express fires, each with its evidence ---

	@Test
	void untunedDockerHostFiresExactlyTheExpectedFindings() {
		assertThat(found(advise("docker-untuned.json"))).containsExactlyInAnyOrder("DOCKER-NET-BRIDGE-NAT@cache",
				"DOCKER-USERLAND-PROXY@docker", "DOCKER-STORAGE-WRITABLE-LAYER@ingest", "DOCKER-STORAGE-COPY-UP@docker",
				"DOCKER-LIMITS-PINNED-GUESTS@api", "DOCKER-LIMITS-PINNED-GUESTS@worker");
	}

	@Test
	void anEngineOnDevicemapperHasOnlyTheDriverFinding() {
		assertThat(found(advise("docker-devicemapper.json"))).containsExactly("DOCKER-STORAGE-DRIVER@docker");
	}

	@ParameterizedTest(name = "{0} on {2}")
	@CsvSource(delimiter = '|', textBlock = """
			DOCKER-NET-BRIDGE-NAT         | docker-untuned.json      | cache  | MEDIUM | docker-network.drl   | KEY_DNAT_CACHE.ratioToBaseline  | 1.39
			DOCKER-USERLAND-PROXY         | docker-untuned.json      | docker | MEDIUM | docker-network.drl   | KEY_PROXY_API.ratioToBaseline   | 2.51
			DOCKER-STORAGE-WRITABLE-LAYER | docker-untuned.json      | ingest | MEDIUM | docker-storage.drl   | containers[ingest].writableLayerBytes | 2147483648
			DOCKER-STORAGE-COPY-UP        | docker-untuned.json      | docker | LOW    | docker-storage.drl   | KEY_COPY_UP.median              | 443 ms
			DOCKER-STORAGE-DRIVER         | docker-devicemapper.json | docker | MEDIUM | docker-storage.drl   | docker.storageDriver            | devicemapper
			DOCKER-LIMITS-PINNED-GUESTS   | docker-untuned.json      | api    | MEDIUM | docker-resources.drl | containers[api].cpuLimit        | none
			DOCKER-LIMITS-PINNED-GUESTS   | docker-untuned.json      | worker | MEDIUM | docker-resources.drl | containers[worker].cpusetCpus   | [2-5]
			DOCKER-LIMITS-PINNED-GUESTS   | untuned-host.json        | api    | MEDIUM | docker-resources.drl | guests[web].pinnedCpus          | 6-9
			""")
	void firesOnAnUntunedFixtureWithEvidenceFixAndSource(String id, String fixture, String subject, Severity severity,
			String file, String fact, String value) {
		Recommendation r = get(advise(fixture), id, subject);

		String name = fact.replace("KEY_DNAT_CACHE", KEY_DNAT_CACHE).replace("KEY_PROXY_API", KEY_PROXY_API)
			.replace("KEY_COPY_UP", KEY_COPY_UP);
		assertThat(r.evidence()).contains(new Evidence(name, value));
		assertThat(r.severity()).isEqualTo(severity);
		assertComplete(r, file);
		assertThat(r.tradeOff()).isNotBlank();
	}

	@ParameterizedTest
	@MethodSource("dockerIds")
	void silentOnTheTunedDockerHost(String id) {
		assertThat(ids(advise("docker-tuned.json"))).doesNotContain(id);
	}

	@Test
	void tunedDockerHostHasNoFindingsAtAll() {
		assertThat(advise("docker-tuned.json")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "docker-untuned.json", "docker-tuned.json", "docker-devicemapper.json", "untuned-host.json" })
	void adviceIsStableOnceConstraintsAreJitCompiled(String fixture) {
		assertStableOnceJitCompiled(Fixtures.load(fixture));
	}

	@Test
	void everyDockerFamilyLoadsFromItsOwnFile() {
		assertThat(RuleTesting.rules().fileOf("Bridge and NAT measured well above the native round trip")).isEqualTo("docker-network.drl");
		assertThat(RuleTesting.rules().fileOf("Published ports served by docker-proxy, not measured")).isEqualTo("docker-network.drl");
		assertThat(RuleTesting.rules().fileOf("Data written into the writable layer, not measured")).isEqualTo("docker-storage.drl");
		assertThat(RuleTesting.rules().fileOf("Storage driver other than overlay2")).isEqualTo("docker-storage.drl");
		assertThat(RuleTesting.rules().fileOf("Container unbounded on the CPUs of pinned guests")).isEqualTo("docker-resources.drl");
	}

	// --- network: bridge and NAT ---

	@Test
	void bridgeNatCitesTheWorstSameCorePathAndRebuildsTheRunLineOnTheHostNetwork() {
		Recommendation r = get(advise("docker-untuned.json"), "DOCKER-NET-BRIDGE-NAT", "cache");

		assertThat(r.rule()).isEqualTo("docker-network.drl: Bridge and NAT measured well above the native round trip");
		// bridge-ip measured 9.6 us (1.35x), published-dnat 9.9 us (1.39x): the worse one is cited
		assertThat(r.evidence()).contains(new Evidence("containers[cache].networkMode", "bridge"),
				new Evidence("containers[cache].ports", "0.0.0.0:6379:6379 (docker-proxy)"),
				new Evidence(KEY_DNAT_CACHE + ".median", "9.9 us"), new Evidence(KEY_DNAT_CACHE + ".baselineMedian", "7.1 us"),
				new Evidence(KEY_DNAT_CACHE + ".ratioToBaseline", "1.39"), new Evidence(KEY_DNAT_CACHE + ".placement", "same-core"));
		assertThat(r.evidence()).noneMatch(e -> e.fact().contains("/bridge-ip/"));
		// re-created, never removed: renamed and stopped, then a new one on the host network; the rollback puts it back
		assertThat(r.fix().get(0)).isEqualTo("# a container's network mode cannot be changed in place: it is re-created");
		assertThat(r.fix()).contains("[ \"$(docker container inspect -f '{{.State.Running}}' cache-virtwise-old 2>/dev/null)\" = false ] && "
				+ "docker create --name cache --hostname 8b2e55c01a7d --network host --cpuset-cpus 4-7 --memory 1g --restart always "
				+ "--env-file <(docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' cache-virtwise-old) "
				+ "--label-file <(docker container inspect -f '{{range $k, $v := .Config.Labels}}{{$k}}={{println $v}}{{end}}' cache-virtwise-old) "
				+ "redis:7.2 redis-server --save ''  # now listens on the host's own 6379/tcp (was -p 0.0.0.0:6379:6379)",
				"docker start cache");
		assertThat(r.fix()).noneMatch(line -> line.startsWith("docker rm"));
		assertThat(r.rollback()).containsExactly(
				"[[ \"$(docker container inspect -f '{{.Id}}' cache 2>/dev/null)\" != 8b2e55c01a7d* ]] && docker stop cache && docker rm cache   # the new cache, "
						+ "never the original (its id is checked); without -v, so the volumes stay",
				"docker rename cache-virtwise-old cache", "docker update --restart always cache", "docker start cache");
		assertThat(r.tradeOff()).contains("CIS Docker Benchmark v1.6.0 5.10", "\"userland-proxy\": false", "conntrack");
		assertThat(r.expectedEffect()).contains("25%", "83k vs 111k");
		assertThat(r.needsRestart()).isTrue();
	}

	@Test
	void bridgeNatIsSilentWhereTheBridgeMeasuredCloseToNativeAndReadsOnlySameCoreFigures() {
		List<Recommendation> all = advise("docker-untuned.json", tree -> {
			probe(tree, 4).put("median", 8.0); // cache bridge-ip same-core: 1.13x
			probe(tree, 5).put("median", 8.1); // cache published-dnat same-core: 1.14x
			probe(tree, 7).put("median", 90.0); // cache bridge-ip cross-core: 2.1x, not read
		});

		// api: bridge-ip 1.1x; its 2.5x published-proxy path is docker-proxy's cost, not the bridge's
		assertThat(found(all)).doesNotContain("DOCKER-NET-BRIDGE-NAT@cache", "DOCKER-NET-BRIDGE-NAT@api");
	}

	@Test
	void bridgeNatWithoutAProbeIsALowNoteThatSaysItWasNotMeasured() {
		List<Recommendation> all = advise("docker-untuned.json", tree -> tree.putArray("probes"));

		Recommendation api = get(all, "DOCKER-NET-BRIDGE-NAT", "api");
		assertThat(api.severity()).isEqualTo(Severity.LOW);
		assertThat(api.rule()).isEqualTo("docker-network.drl: Bridge and NAT in front of published ports, not measured");
		assertThat(api.evidence()).contains(new Evidence("probes[docker-network/*/api].tcp-rr-latency", "not measured"),
				new Evidence("containers[api].ports", "127.0.0.1:8080:80 (docker-proxy)"));
		assertThat(api.fix()).startsWith("virtwise probe docker --container api --only network   # its round trip on each path against the native loopback");
		// its environment comes from the old container at run time: no value is printed, none is redacted
		assertThat(api.fix()).anyMatch(line -> line.contains("docker create --name api --hostname 3f1c0ad2e9b4 --network host "
				+ "--restart unless-stopped --env-file <(docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' api-virtwise-old) ")
				&& line.endsWith(" myorg/api:1.4  # now listens on the host's own 80/tcp (was -p 127.0.0.1:8080:80), "
				+ "on whatever address the service binds itself, typically all interfaces: a port reachable only from this "
				+ "machine may become reachable from the network, so bind the service to 127.0.0.1 in its own configuration"));
		assertThat(String.join("\n", api.fix())).doesNotContain("<redacted>", "DB_PASSWORD");
		assertThat(api.rollback()).isNotEmpty();
		assertThat(api.expectedEffect()).startsWith("Not measured here.");
		assertThat(get(all, "DOCKER-NET-BRIDGE-NAT", "cache").severity()).isEqualTo(Severity.LOW);
		// worker publishes nothing, old-api is not running
		assertThat(found(all)).doesNotContain("DOCKER-NET-BRIDGE-NAT@worker", "DOCKER-NET-BRIDGE-NAT@old-api");
	}

	@ParameterizedTest
	@ValueSource(strings = { "host", "none", "container:api" })
	void bridgeNatIsSilentOffTheBridge(String mode) {
		assertThat(found(advise("docker-untuned.json", tree -> container(tree, "cache").put("networkMode", mode))))
			.doesNotContain("DOCKER-NET-BRIDGE-NAT@cache");
		assertThat(found(advise("docker-untuned.json", tree -> {
			tree.putArray("probes");
			container(tree, "api").put("networkMode", mode);
		}))).doesNotContain("DOCKER-NET-BRIDGE-NAT@api");
	}

	// --- network: docker-proxy ---

	@Test
	void userlandProxyIsOneEngineFindingWithTheProxiedContainersAndTheWorstMeasurement() {
		Recommendation r = only(advise("docker-untuned.json"), "DOCKER-USERLAND-PROXY");

		assertThat(r.subject()).isEqualTo("docker");
		assertThat(r.rule()).isEqualTo("docker-network.drl: Published ports served by docker-proxy, measured");
		assertThat(r.evidence()).contains(new Evidence("docker.userlandProxy", "true"),
				new Evidence("containers[api].ports", "127.0.0.1:8080:80 (docker-proxy)"),
				new Evidence("containers[cache].ports", "0.0.0.0:6379:6379 (docker-proxy)"),
				new Evidence(KEY_PROXY_API + ".median", "17.8 us"), new Evidence(KEY_PROXY_API + ".baselineMedian", "7.1 us"),
				new Evidence(KEY_PROXY_API + ".ratioToBaseline", "2.51"), new Evidence(KEY_PROXY_API + ".placement", "same-core"));
		assertThat(r.evidence()).noneMatch(e -> e.fact().contains("old-api"));
		assertThat(r.fix()).contains(new DaemonJsonKey("userland-proxy", "false").set() + "   # in /etc/docker/daemon.json, every other key kept");
		assertThat(r.rollback()).contains(new DaemonJsonKey("userland-proxy", "false").rollback());
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).startsWith("systemctl restart docker"));
		assertThat(r.tradeOff()).contains("route_localnet", "[::1]");
		assertThat(r.expectedEffect()).contains("17-20 us", "7.9-8.1 us");
		assertThat(r.needsRestart()).isTrue();
	}

	@Test
	void userlandProxyWithoutAProbeIsLow() {
		Recommendation r = only(advise("docker-untuned.json", tree -> tree.putArray("probes")), "DOCKER-USERLAND-PROXY");

		assertThat(r.severity()).isEqualTo(Severity.LOW);
		assertThat(r.evidence()).contains(new Evidence("probes[docker-network/published-proxy/*].tcp-rr-latency", "not measured"));
		assertThat(r.fix()).first().asString().startsWith("virtwise probe docker --only network");
	}

	@Test
	void userlandProxyIsSilentWhenMeasuredCheapWithIptablesOffOrWithoutPublishedPorts() {
		assertThat(ids(advise("docker-untuned.json", tree -> probe(tree, 2).put("median", 10.0)))) // 1.41x
			.doesNotContain("DOCKER-USERLAND-PROXY");
		assertThat(ids(advise("docker-untuned.json", tree -> Fixtures.at(tree, "/docker").put("iptables", false))))
			.doesNotContain("DOCKER-USERLAND-PROXY");
		assertThat(ids(advise("docker-untuned.json", tree -> {
			container(tree, "api").putArray("ports");
			container(tree, "cache").putArray("ports");
		}))).doesNotContain("DOCKER-USERLAND-PROXY");
		assertThat(ids(advise("docker-untuned.json", tree -> Fixtures.at(tree, "/docker").remove("userlandProxy"))))
			.doesNotContain("DOCKER-USERLAND-PROXY");
	}

	// --- storage: data in the writable layer ---

	@Test
	void writableLayerCitesTheWidestMeasuredGapAndMovesTheDataToAVolume() {
		Recommendation r = get(advise("docker-untuned.json"), "DOCKER-STORAGE-WRITABLE-LAYER", "ingest");

		assertThat(r.rule()).isEqualTo("docker-storage.drl: Data written into the writable layer, measured slower than a volume");
		// small files 3100 vs 4400 files/s (0.7) is wider than random writes 41000 vs 41800 IOPS (0.98)
		assertThat(r.evidence()).contains(new Evidence("containers[ingest].writableLayerBytes", "2147483648"),
				new Evidence(KEY_SMALL_FILES + ".median", "3100 files/s"), new Evidence(KEY_SMALL_FILES + ".baselineMedian", "4500 files/s"),
				new Evidence("probes[docker-storage/volume/lab].small-file-ops.median", "4400 files/s"),
				new Evidence(KEY_SMALL_FILES + ".ratioToVolume", "0.7"));
		assertThat(r.evidence()).noneMatch(e -> e.fact().contains("randwrite"));
		// no live reading: which directory to move is unknown, so no re-create is printed, only where the bytes are
		assertThat(r.fix()).containsExactly(
				"du -xh --max-depth=3 \"$(docker inspect -f '{{.GraphDriver.Data.UpperDir}}' ingest)\" | sort -h | tail   # the directories holding its 2.0 GiB (overlay2)",
				"# no re-create printed: which directory holds its data is not known: virtwise names it from the files the container "
						+ "holds open for writing, read live on its own host while it runs; the du line shows where its bytes are");
		assertThat(r.rollback()).isEmpty();
		assertThat(r.expectedEffect()).contains("-14.5%", "-3.1%");
		assertThat(r.needsRestart()).isTrue();
	}

	/** ingest as a live reading on its own host saw it: writing 48 KiB/s, with files open in /srv/spool and /tmp. */
	static void writing(ObjectNode tree, String name, double rate, long layerBytes) {
		ObjectNode c = container(tree, name).put("writableLayerBytes", layerBytes).put("writeBytesPerSecond", rate);
		c.putArray("layerFilesOpenForWrite").add("/srv/spool/0001.seg").add("/srv/spool/0002.seg").add("/srv/spool/index/idx")
			.add("/tmp/upload.part").add("/var/log/ingest.log");
	}

	@Test
	void measuredWritesNameTheDirectoryAndTheFixMovesItToAVolumeReversibly() {
		Recommendation r = get(advise("docker-untuned.json", tree -> writing(tree, "ingest", 49152, 2147483648L)),
				"DOCKER-STORAGE-WRITABLE-LAYER", "ingest");

		assertThat(r.evidence()).contains(new Evidence("containers[ingest].writeBytesPerSecond", "48.0 KiB/s"),
				new Evidence("containers[ingest].layerFilesOpenForWrite",
						"/srv/spool/0001.seg, /srv/spool/0002.seg, /srv/spool/index/idx, /var/log/ingest.log"));
		assertThat(r.fix()).contains("# /srv/spool holds the files it keeps open for writing in its writable layer: it moves to the "
				+ "volume ingest-data; also open for writing, and left in the layer: /var/log");
		assertThat(r.fix()).contains("docker volume create ingest-data",
				"[ \"$(docker container inspect -f '{{.State.Status}}' ingest 2>/dev/null)\" = created ] && docker cp ingest-virtwise-old:/srv/spool - "
						+ "| docker cp - ingest:/srv   # /srv/spool into ingest-data, owners and modes kept",
				"docker start ingest");
		assertThat(r.fix()).anyMatch(line -> line.contains(" docker create --name ingest --hostname c41d9e07f3a2 "
				+ "-v ingest-data:/srv/spool:nocopy --cpus 2 --memory 4g --restart unless-stopped --env-file <("));
		assertThat(String.join("\n", r.fix())).doesNotContain("<dir>", "<redacted>", "docker rm -f");
		assertThat(r.rollback()).contains("docker rename ingest-virtwise-old ingest", "docker start ingest");
	}

	@Test
	void measuredWritesFireWhateverTheLayersSizeAndSizeAloneStillFiresWhenTheReadingIsUnknown() {
		// 64 MiB in the layer, written at 48 KiB/s into /srv/spool: a data directory in the layer, at any size
		assertThat(found(advise("docker-untuned.json", tree -> writing(tree, "ingest", 49152, 64L << 20))))
			.contains("DOCKER-STORAGE-WRITABLE-LAYER@ingest");
		// the same files open, but below 1.2 KiB/s (100 MiB a day) and a small layer: silent
		assertThat(found(advise("docker-untuned.json", tree -> writing(tree, "ingest", 1000, 64L << 20))))
			.doesNotContain("DOCKER-STORAGE-WRITABLE-LAYER@ingest");
		// fast writes with only scratch files open: no data directory to name, and a small layer
		assertThat(found(advise("docker-untuned.json", tree -> {
			writing(tree, "ingest", 1 << 20, 64L << 20);
			container(tree, "ingest").putArray("layerFilesOpenForWrite").add("/tmp/a").add("/var/tmp/b").add("/run/x.pid");
		}))).doesNotContain("DOCKER-STORAGE-WRITABLE-LAYER@ingest");
		// a large layer, nothing open: fires on its size, as without a reading
		assertThat(found(advise("docker-untuned.json", tree -> {
			writing(tree, "ingest", 0, 2147483648L);
			container(tree, "ingest").putArray("layerFilesOpenForWrite");
		}))).contains("DOCKER-STORAGE-WRITABLE-LAYER@ingest");
	}

	@Test
	void writableLayerWithoutAMeasurementIsLow() {
		Recommendation r = get(advise("docker-untuned.json", tree -> tree.putArray("probes")), "DOCKER-STORAGE-WRITABLE-LAYER", "ingest");

		assertThat(r.severity()).isEqualTo(Severity.LOW);
		assertThat(r.evidence()).contains(new Evidence("probes[docker-storage/writable-layer/ingest]", "not measured"));
		assertThat(r.fix()).first().asString().startsWith("virtwise probe docker --container ingest --only storage");
		assertThat(r.expectedEffect()).startsWith("Not measured here.").contains("1.3-1.5x");
	}

	@Test
	void writableLayerIsSilentWhenMeasuredWithoutAGapOrSmallOrNotRunning() {
		// the lab's small-file gap closed to 4300 vs 4400 (0.98): measured, and no gap
		assertThat(found(advise("docker-untuned.json", tree -> probe(tree, 9).put("median", 4300.0))))
			.doesNotContain("DOCKER-STORAGE-WRITABLE-LAYER@ingest");
		assertThat(found(advise("docker-untuned.json", tree -> container(tree, "ingest").put("writableLayerBytes", 50L << 20))))
			.doesNotContain("DOCKER-STORAGE-WRITABLE-LAYER@ingest");
		// old-api has 500 MiB in its layer but is not running
		assertThat(found(advise("docker-untuned.json"))).doesNotContain("DOCKER-STORAGE-WRITABLE-LAYER@old-api");
	}

	@Test
	void aContainersOwnStorageMeasurementWinsOverTheLabs() {
		List<Recommendation> all = advise("docker-untuned.json", tree -> {
			ArrayNode probes = tree.withArray("probes");
			probes.addObject().put("probe", "docker-storage").put("path", "writable-layer").put("subject", "ingest")
				.put("metric", "randwrite-iops").put("unit", "IOPS").put("median", 30000.0).put("repetitions", 5)
				.put("baselineMedian", 42000.0);
			probes.addObject().put("probe", "docker-storage").put("path", "volume").put("subject", "ingest")
				.put("metric", "randwrite-iops").put("unit", "IOPS").put("median", 41000.0).put("repetitions", 5)
				.put("baselineMedian", 42000.0);
		});

		assertThat(get(all, "DOCKER-STORAGE-WRITABLE-LAYER", "ingest").evidence())
			.contains(new Evidence("probes[docker-storage/writable-layer/ingest].randwrite-iops.ratioToVolume", "0.73"))
			.noneMatch(e -> e.fact().contains("/lab]"));
	}

	// --- storage: copy-up ---

	@Test
	void copyUpIsAnEngineFindingThatNamesTheContainersWritingToTheirLayer() {
		Recommendation r = only(advise("docker-untuned.json"), "DOCKER-STORAGE-COPY-UP");

		assertThat(r.subject()).isEqualTo("docker");
		assertThat(r.evidence()).containsExactly(new Evidence(KEY_COPY_UP + ".median", "443 ms"),
				new Evidence(KEY_COPY_UP + ".baselineMedian", "1 ms"), new Evidence(KEY_COPY_UP + ".ratioToBaseline", "443"),
				new Evidence("containers[ingest].writableLayerBytes", "2147483648"));
		assertThat(r.fix()).first().isEqualTo(
				"docker diff ingest | grep '^C '   # files ingest changed from its image: each was copied up whole on its first write");
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("named volume", "filled from the image"));
		assertThat(r.expectedEffect()).contains("443 ms here", "1 ms for later writes");
		assertThat(r.needsRestart()).isFalse();
	}

	@Test
	void copyUpIsSilentBelowAHundredMillisecondsOrWhenNoContainerWritesToItsLayer() {
		assertThat(ids(advise("docker-untuned.json", tree -> probe(tree, 14).put("median", 95.0))))
			.doesNotContain("DOCKER-STORAGE-COPY-UP");
		// the tuned host carries the same 443 ms lab figure, but its containers keep their data on volumes
		assertThat(Fixtures.load("docker-tuned.json").probes()).anyMatch(p -> p.metric().equals("copy-up-ms") && p.median() == 443.0);
		assertThat(ids(advise("docker-tuned.json"))).doesNotContain("DOCKER-STORAGE-COPY-UP");
		assertThat(found(advise("docker-tuned.json", tree -> container(tree, "worker").put("writableLayerBytes", 200L << 20))))
			.contains("DOCKER-STORAGE-COPY-UP@docker");
	}

	// --- storage: the driver ---

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "null", textBlock = """
			devicemapper | MEDIUM | Storage driver other than overlay2
			aufs         | MEDIUM | Storage driver other than overlay2
			overlay      | MEDIUM | Storage driver other than overlay2
			vfs          | MEDIUM | Storage driver other than overlay2
			btrfs        | INFO   | Copy-on-write filesystem as storage driver
			zfs          | INFO   | Copy-on-write filesystem as storage driver
			""")
	void storageDriverAdviceDependsOnTheDriver(String driver, Severity severity, String ruleName) {
		Recommendation r = only(advise("docker-devicemapper.json", tree -> Fixtures.at(tree, "/docker").put("storageDriver", driver)),
				"DOCKER-STORAGE-DRIVER");

		assertThat(r.severity()).isEqualTo(severity);
		assertThat(r.rule()).isEqualTo("docker-storage.drl: " + ruleName);
		assertThat(r.evidence()).contains(new Evidence("docker.storageDriver", driver));
		assertThat(r.subject()).isEqualTo("docker");
	}

	@ParameterizedTest
	@ValueSource(strings = { "overlay2", "overlayfs", "" })
	void storageDriverIsSilentOnOverlay2TheContainerdSnapshotterOrUnknown(String driver) {
		assertThat(ids(advise("docker-devicemapper.json", tree -> {
			if (driver.isEmpty()) {
				Fixtures.at(tree, "/docker").remove("storageDriver");
			}
			else {
				Fixtures.at(tree, "/docker").put("storageDriver", driver);
			}
		}))).doesNotContain("DOCKER-STORAGE-DRIVER");
	}

	@Test
	void storageDriverFixSetsOverlay2AndSaysWhatDoesNotCarryOver() {
		Recommendation r = only(advise("docker-devicemapper.json"), "DOCKER-STORAGE-DRIVER");

		assertThat(r.evidence()).contains(new Evidence("docker.backingFilesystem", "xfs"), new Evidence("docker.version", "20.10.24"),
				new Evidence("docker.rootFilesystem", "unknown"), new Evidence("docker.supportsDType", "unknown"));
		// the daemon.json change runs only behind the filesystem check (ext4, or xfs with ftype=1), with a backup
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).startsWith("case \"$(stat -f -c %T /var/lib/docker)\" in ext2/ext3) ;; "
				+ "xfs) xfs_info \"$(stat -c %m /var/lib/docker)\" | grep -q ftype=1 ;; *) false ;; esac && ")
			.contains("cp -p /etc/docker/daemon.json /etc/docker/daemon.json.virtwise-bak", "jq '.\"storage-driver\" = \"overlay2\"'"));
		assertThat(r.fix()).anyMatch(line -> line.contains("= overlay2 ] && systemctl restart docker"));
		assertThat(r.rollback()).containsExactly("[ -e /etc/docker/daemon.json.virtwise-bak ] && mv /etc/docker/daemon.json.virtwise-bak "
				+ "/etc/docker/daemon.json && systemctl restart docker   # the devicemapper images and containers come back: overlay2 keeps its own beside them");
		assertThat(r.tradeOff()).contains("re-created", "Volumes", "survive");
		assertThat(r.expectedEffect()).contains("-14.5%", "25.0");
		assertThat(r.needsRestart()).isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			supportsDType  | false | does not support d_type
			rootFilesystem | btrfs | is on btrfs, and overlay2 is supported on ext4 and on xfs with ftype=1
			rootFilesystem | tmpfs | is on tmpfs
			""")
	void whereTheFactsSayOverlay2CannotRunNoDriverChangeIsPrintedButWhatToDo(String field, String value, String why) {
		Recommendation r = only(advise("docker-devicemapper.json", tree -> {
			ObjectNode docker = Fixtures.at(tree, "/docker").put("storageDriver", "vfs");
			if (value.equals("false")) {
				docker.put(field, false);
			}
			else {
				docker.put(field, value);
			}
		}), "DOCKER-STORAGE-DRIVER");

		assertThat(r.fix()).hasSize(2).allMatch(line -> line.startsWith("# "));
		assertThat(r.fix().get(0)).startsWith("# no driver change printed: ").contains(why);
		assertThat(r.fix().get(1)).contains("mkfs.xfs -n ftype=1", "ext4");
		assertThat(r.rollback()).isEmpty();
	}

	@Test
	void onExt4TheChangeIsStillPrintedBehindItsCheck() {
		Recommendation r = only(advise("docker-devicemapper.json", tree -> Fixtures.at(tree, "/docker").put("storageDriver", "vfs")
			.put("rootFilesystem", "ext4").put("supportsDType", true)), "DOCKER-STORAGE-DRIVER");

		assertThat(r.evidence()).contains(new Evidence("docker.rootFilesystem", "ext4"), new Evidence("docker.supportsDType", "true"));
		assertThat(r.fix()).anyMatch(line -> line.startsWith("case \"$(stat -f -c %T /var/lib/docker)\""));
		assertThat(r.rollback()).hasSize(1);
	}

	// --- resources: containers beside pinned guests ---

	@Test
	void anUnboundedContainerIsUpdatedInPlaceOntoTheCpusNoGuestIsPinnedTo() {
		Recommendation r = get(advise("docker-untuned.json"), "DOCKER-LIMITS-PINNED-GUESTS", "api");

		assertThat(r.title()).contains("no cpuset and no CPU limit");
		assertThat(r.evidence()).containsExactly(new Evidence("containers[api].cpusetCpus", "[]"),
				new Evidence("containers[api].cpuLimit", "none"), new Evidence("containers[api].memoryLimitBytes", "none"),
				new Evidence("guests[vm1].pinnedCpus", "0-3"));
		// 16 CPUs less the guest's 0-3, shared by 4 running containers; (32 - 8) GiB less a quarter, over 4
		assertThat(r.fix()).containsExactly(
				"docker stats --no-stream api   # what it uses now: the limits must leave room above that",
				"docker update --cpuset-cpus 4-15 --cpus 3 --memory 4608m --memory-swap 9g api   # changes the running container in place, "
						+ "no restart; a first --memory needs --memory-swap with it",
				"# --cpus: an even share of the 12 CPUs no guest is pinned to; --memory: an even share of the memory the guests leave "
						+ "(8.0 GiB is theirs) less a quarter for the host, among the 4 running containers. A starting point: size both to the workload",
				"# and where the container is defined (its run script, compose file or unit), so a re-created one keeps them: "
						+ "--cpuset-cpus 4-15 --cpus 3 --memory 4608m");
		// docker update cannot take a quota or a memory limit away again: the way back says so instead of pretending
		assertThat(r.rollback()).contains("docker update --cpuset-cpus 0-15 api   # every CPU of the host, as it had without a cpuset",
				"docker update --cpus 16 api   # docker update cannot remove a CPU quota: one as large as the host is no limit");
		assertThat(r.rollback()).anySatisfy(line -> assertThat(line).startsWith("# docker update cannot remove a memory limit"));
		assertThat(r.needsRestart()).isFalse();
		assertThat(r.tradeOff()).contains("OOM");
		assertThat(r.source()).contains("RC25482", "CIS Docker Benchmark v1.6.0 5.11");
	}

	@Test
	void aCpusetOnTheGuestsCpusIsMovedEvenWhenTheContainerHasACpuLimit() {
		List<Recommendation> all = advise("docker-untuned.json", tree -> container(tree, "worker").put("cpuLimit", 2.0));

		Recommendation r = get(all, "DOCKER-LIMITS-PINNED-GUESTS", "worker");
		assertThat(r.title()).contains("cpuset includes CPUs pinned to KVM guests");
		assertThat(r.evidence()).contains(new Evidence("containers[worker].cpuLimit", "2.0"));
		assertThat(r.fix()).contains("docker update --cpuset-cpus 4-15 --memory 4608m --memory-swap 9g worker   # changes the running "
				+ "container in place, no restart; a first --memory needs --memory-swap with it");
	}

	@Test
	void limitsAreSilentForContainersApartFromTheGuestsOrBoundedOrUnknown() {
		List<Recommendation> all = advise("docker-untuned.json");
		// cache: cpuset 4-7, apart from the guest's 0-3; ingest: no cpuset but --cpus 2; old-api: not running
		assertThat(found(all)).doesNotContain("DOCKER-LIMITS-PINNED-GUESTS@cache", "DOCKER-LIMITS-PINNED-GUESTS@ingest",
				"DOCKER-LIMITS-PINNED-GUESTS@old-api");
		// a cpuset that is unknown (null) is not an empty one
		assertThat(found(advise("docker-untuned.json", tree -> container(tree, "api").remove("cpusetCpus"))))
			.doesNotContain("DOCKER-LIMITS-PINNED-GUESTS@api");
	}

	@Test
	void limitsAreSilentWithoutPinnedGuestsOrWithoutTheHostsCpus() {
		assertThat(ids(advise("docker-untuned.json", tree -> Fixtures.at(tree, "/guests/0").remove("pinnedCpus"))))
			.doesNotContain("DOCKER-LIMITS-PINNED-GUESTS");
		assertThat(ids(advise("docker-untuned.json", tree -> tree.remove("host")))).doesNotContain("DOCKER-LIMITS-PINNED-GUESTS");
		assertThat(ids(advise("docker-untuned.json", tree -> {
			Fixtures.at(tree, "/host").remove("numaNodes");
			Fixtures.at(tree, "/host/cpu").remove("threads");
		}))).doesNotContain("DOCKER-LIMITS-PINNED-GUESTS");
	}

	@Test
	void onTheTwoNodeHostTheNewCpusetStaysOnOneNodeAndItsDefinitionGetsTheSameOptions() {
		Recommendation r = get(advise("untuned-host.json"), "DOCKER-LIMITS-PINNED-GUESTS", "api");

		// web is pinned to 6-9; api's 6-9 sits half on each node, so node 0 (the lower on a tie): 0-5,16-23.
		// Memory: 64 GiB less the guests' 28 GiB, less a quarter, over the 2 running containers.
		assertThat(r.fix()).contains("docker update --cpuset-cpus 0-5,16-23 --cpus 7 --memory 13824m --memory-swap 27g api   # changes "
				+ "the running container in place, no restart; a first --memory needs --memory-swap with it");
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("on NUMA node 0", "28.0 GiB is theirs"));
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).endsWith("so a re-created one keeps them: --cpuset-cpus 0-5,16-23 --cpus 7 "
				+ "--memory 13824m"));
	}

	// --- unknown is never zero or false ---

	@Test
	void dockerFactsThatHoldOnlyNullsGiveNoAdvice() {
		List<Recommendation> all = advise("docker-untuned.json", tree -> {
			tree.putObject("docker");
			ArrayNode containers = tree.putArray("containers");
			containers.addObject().put("name", "blank").put("state", "running");
			containers.addObject().put("name", "blank2");
			tree.putArray("probes").addObject().put("median", 0.0).put("repetitions", 0);
		});

		assertThat(all).isEmpty();
	}
}
