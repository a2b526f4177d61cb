package io.virtwise.docker.inspect;

import io.virtwise.docker.runline.DockerRunLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The options a rebuilt line keeps, against containers captured by fixtures/docker/capture-runline.sh. */
public class RunLineRebuilderTest {

	// Every option the rebuilder may add beyond name, network, ports, mounts, limits and restart policy.
	private static final List<String> KEPT_OPTIONS = List.of("--hostname", "--domainname", "--network-alias", "--link",
			"--add-host", "--dns", "--dns-search", "--dns-option", "--expose", "--volumes-from", "--read-only",
			"--workdir", "--user", "--group-add", "--cpuset-mems", "--cpu-shares", "--memory-reservation",
			"--memory-swap", "--memory-swappiness", "--oom-kill-disable", "--oom-score-adj", "--shm-size",
			"--pids-limit", "--ulimit", "--blkio-weight", "--blkio-weight-device", "--device-read-bps",
			"--device-write-bps", "--device-read-iops", "--device-write-iops", "--device", "--device-cgroup-rule",
			"--cgroup-parent", "--init", "--stop-signal", "--stop-timeout", "--health-cmd", "--health-interval",
			"--health-timeout", "--health-start-period", "--health-retries", "--no-healthcheck", "--log-driver",
			"--log-opt", "--runtime", "--ipc", "--pid", "--uts", "--userns", "--cap-drop", "--cap-add", "--sysctl");

	static JsonNode captured(String name) {
		return DockerFixtures.container(DockerFixtures.RUNLINE, name);
	}

	/** An engine with this default logging driver, runc by default, and no other containers' names. */
	public static EngineContext engine(String logDriver) {
		return new EngineContext(null, null, logDriver, "runc", Map.of());
	}

	static DockerRunLine rebuilt(JsonNode inspect) {
		return RunLineRebuilder.rebuild(inspect, DockerFixtures.imageConfig(), engine("json-file"));
	}

	@Test
	void keepsWhatTheContainerWasRunWith() {
		// Re-running this very line on the engine gave the same HostConfig and Config as rl-full's (ids aside).
		assertThat(rebuilt(captured("rl-full")).render()).isEqualTo("docker run -d --name rl-full --hostname rl-box "
				+ "--network rl-net --network-alias rl-db --network-alias rl-db2 --add-host db.local:10.0.0.5 "
				+ "--dns 10.0.0.53 --dns-search example.internal --dns-option ndots:2 -p 127.0.0.1:18082:82 --tmpfs /run "
				+ "--read-only --workdir /tmp --user 1000:1000 --group-add 100 --cpu-shares 512 --memory 256m "
				+ "--memory-reservation 128m --memory-swap 384m --memory-swappiness 10 --oom-kill-disable --shm-size 128m "
				+ "--pids-limit 100 --ulimit core=0 --ulimit nofile=1024:2048 --device-read-bps /dev/vda:1m "
				+ "--device-write-iops /dev/vda:200 --device /dev/zero:/dev/zero2:r --restart on-failure:3 --init "
				+ "--stop-signal SIGINT --stop-timeout 20 --health-cmd 'test -d /tmp' --health-interval 30s "
				+ "--health-retries 2 --log-driver local --log-opt max-size=10m --ipc shareable --cap-drop ALL "
				+ "--cap-add CAP_CHOWN --cap-add CAP_NET_BIND_SERVICE --security-opt no-new-privileges "
				+ "--sysctl net.ipv4.ip_unprivileged_port_start=0 virtwise/probe:latest sleep infinity");
	}

	@Test
	void aPlainContainerGainsNoneOfThem() {
		DockerRunLine plain = rebuilt(captured("rl-plain"));
		assertThat(plain.render()).isEqualTo("docker run -d --name rl-plain virtwise/probe:latest sleep infinity");
		for (String name : List.of("vw-fx-bridge", "vw-fx-host", "vw-fx-storage", "vw-fx-writer", "vw-fx-limits",
				"vw-fx-quota", "vw-fx-secret", "vw-fx-stopped", "vw-fx-exited")) {
			DockerRunLine line = rebuilt(DockerFixtures.container(name));
			assertThat(KEPT_OPTIONS).as(name).noneMatch(line::has);
			assertThat(line.notes()).as(name).isEmpty();
		}
	}

	@Test
	void sharedNamespacesAreKeptAndWhatTheEngineAddsForThemIsNot() {
		// rl-shared's SecurityOpt holds label=disable, which the engine adds for --pid host; its hostname is the host's.
		// Its ipc namespace is rl-full's, which inspect names by id: the line names rl-full, whose id a re-create changes.
		String fullId = captured("rl-full").path("Id").asText();
		DockerRunLine named = RunLineRebuilder.rebuild(captured("rl-shared"), DockerFixtures.imageConfig(),
				engine("json-file").withContainerNames(Map.of(fullId, "rl-full")));
		assertThat(named.render()).isEqualTo("docker run -d --name rl-shared --network none --ipc container:rl-full "
				+ "--pid host --uts host virtwise/probe:latest sleep infinity");
		assertThat(named.notes()).isEmpty();
		assertThat(rebuilt(DockerFixtures.container("vw-fx-host")).has("--hostname")).isFalse();
	}

	@Test
	void aNamespaceOfAContainerWhoseNameIsUnknownKeepsTheIdAndSaysSo() {
		DockerRunLine byId = rebuilt(captured("rl-shared"));
		assertThat(byId.values("--ipc")).containsExactly("container:" + captured("rl-full").path("Id").asText());
		assertThat(byId.notes()).containsExactly("--ipc container:" + captured("rl-full").path("Id").asText()
				+ " names the other container by id, which it loses when it is re-created: put its name there");
	}

	@Test
	void theRuntimeIsNamedWhenItIsNotTheEnginesDefault() {
		assertThat(rebuilt(captured("rl-plain")).has("--runtime")).isFalse();
		// runc on an engine whose default is crun: re-created without --runtime it would run under crun
		DockerRunLine onCrun = RunLineRebuilder.rebuild(captured("rl-plain"), DockerFixtures.imageConfig(),
				new EngineContext(null, null, "json-file", "crun", Map.of()));
		assertThat(onCrun.values("--runtime")).containsExactly("runc");
		ObjectNode kata = captured("rl-plain").deepCopy();
		((ObjectNode) kata.at("/HostConfig")).put("Runtime", "kata");
		assertThat(rebuilt(kata).values("--runtime")).containsExactly("kata");
		// an engine whose default is unknown (an inspect file alone): runc is taken for the default
		assertThat(RunLineRebuilder.rebuild(captured("rl-plain"), null, EngineContext.UNKNOWN).has("--runtime")).isFalse();
	}

	@Test
	void whatTheImageSaysIsLeftOutWhenItsConfigIsKnown() {
		ObjectNode image = DockerFixtures.imageConfig().deepCopy();
		image.put("User", "1000:1000").put("WorkingDir", "/tmp").put("StopSignal", "SIGINT");
		image.set("Healthcheck", captured("rl-full").at("/Config/Healthcheck"));
		DockerRunLine line = RunLineRebuilder.rebuild(captured("rl-full"), image, engine("json-file"));
		assertThat(line.has("--user")).isFalse();
		assertThat(line.has("--workdir")).isFalse();
		assertThat(line.has("--stop-signal")).isFalse();
		assertThat(line.has("--health-cmd")).isFalse();
		assertThat(line.has("--health-interval")).isFalse();

		DockerRunLine unknownImage = RunLineRebuilder.rebuild(captured("rl-full"), null, engine("json-file"));
		assertThat(unknownImage.values("--user")).containsExactly("1000:1000");
		assertThat(unknownImage.values("--workdir")).containsExactly("/tmp");
		assertThat(unknownImage.values("--health-cmd")).containsExactly("test -d /tmp");
	}

	@Test
	void theLogDriverIsNamedUnlessItIsTheEnginesDefault() {
		assertThat(RunLineRebuilder.rebuild(captured("rl-full"), null, engine("local")).has("--log-driver")).isFalse();
		assertThat(RunLineRebuilder.rebuild(captured("rl-full"), null, engine("local")).values("--log-opt"))
			.containsExactly("max-size=10m");
		// An unknown default: the line names the driver rather than guess.
		assertThat(RunLineRebuilder.rebuild(captured("rl-plain"), null, engine(null)).values("--log-driver"))
			.containsExactly("json-file");

		ObjectNode splunk = captured("rl-plain").deepCopy();
		((ObjectNode) splunk.at("/HostConfig/LogConfig")).put("Type", "splunk").putObject("Config")
			.put("splunk-token", "tok-abc123").put("splunk-url", "https://splunk.example:8088");
		String line = rebuilt(splunk).render();
		assertThat(line).contains("--log-driver splunk --log-opt 'splunk-token=<redacted>' "
				+ "--log-opt splunk-url=https://splunk.example:8088").doesNotContain("tok-abc123");
	}

	@Test
	void whatTheLineCannotSayGoesIntoItsNotes() {
		ObjectNode c = captured("rl-full").deepCopy();
		((ObjectNode) c.at("/NetworkSettings/Networks")).putObject("rl-other").putArray("Aliases").add("f833490f7ecf");
		((ObjectNode) c.at("/Config/Healthcheck")).putArray("Test").add("CMD").add("/bin/check").add("--quick");
		((ObjectNode) c.get("HostConfig")).putArray("DeviceRequests").addObject().put("Driver", "nvidia");
		DockerRunLine line = rebuilt(c);
		assertThat(line.notes()).containsExactly("also on network rl-other: docker network connect rl-other rl-full",
				"its device requests (--gpus) are not in this line",
				"its health check runs /bin/check --quick without a shell, which --health-cmd cannot write");
		assertThat(line.has("--health-cmd")).isFalse();
		assertThat(line.values("--health-interval")).containsExactly("30s");
		assertThat(DockerRunLine.parse(line.render())).isEqualTo(line);
	}

	@Test
	void otherNetworksAreJoinedWithTheirAliasesAndAddressesAndTheOwnNetworksAddressIsKept() {
		ObjectNode c = captured("rl-full").deepCopy();
		ObjectNode other = ((ObjectNode) c.at("/NetworkSettings/Networks")).putObject("rl-other");
		other.putArray("Aliases").add("f833490f7ecf").add("db-backend");
		other.putObject("IPAMConfig").put("IPv4Address", "10.9.0.5");
		((ObjectNode) c.at("/NetworkSettings/Networks/rl-net")).putObject("IPAMConfig").put("IPv4Address", "172.30.0.9")
			.put("IPv6Address", "fd00::9");
		((ObjectNode) c.get("Config")).put("MacAddress", "02:42:ac:1e:00:09");
		((ObjectNode) c.get("HostConfig")).putObject("StorageOpt").put("size", "20G");

		DockerRunLine line = rebuilt(c);
		assertThat(line.notes()).contains("also on network rl-other: docker network connect --alias db-backend --ip 10.9.0.5 rl-other rl-full");
		assertThat(line.render()).contains("--network-alias rl-db --network-alias rl-db2 --ip 172.30.0.9 --ip6 fd00::9 ",
				"--mac-address 02:42:ac:1e:00:09", "--read-only --storage-opt size=20G");
		assertThat(DockerRunLine.parse(line.render())).isEqualTo(line);
	}

	@Test
	void anEnvironmentOrLabelsThatNoFileLineCanCarryAreNotedByNameOnly() {
		assertThat(RunLineRebuilder.notInAFile(List.of("A=1", "B=two words =#x", "C="), Map.of("k", "v w"))).isNull();
		assertThat(RunLineRebuilder.notInAFile(List.of("CERT=-----BEGIN\nsecret-----", "LONE", "#X=1", " Y=2"),
				new java.util.TreeMap<>(Map.of("note", "a\r\nb", "#k", "v", "a=b", "c")))).isEqualTo("environment CERT (a line break), "
						+ "environment LONE (no value: a file would take this shell's), environment #X (its name), environment Y (its name), "
						+ "label #k (its key), label a=b (its key), label note (a line break)");
		ObjectNode c = captured("rl-plain").deepCopy();
		((ObjectNode) c.get("Config")).putArray("Env").add("KEY=-----BEGIN KEY-----\nhunter2\n-----END KEY-----");
		DockerRunLine line = rebuilt(c);
		assertThat(line.notes()).containsExactly("an --env-file or --label-file cannot carry environment KEY (a line break)");
		assertThat(line.render()).doesNotContain("hunter2");
	}

	@Test
	void mountOptionsTheEngineKeepsAreWrittenToo() {
		ObjectNode c = captured("rl-plain").deepCopy();
		com.fasterxml.jackson.databind.node.ArrayNode mounts = ((ObjectNode) c.get("HostConfig")).putArray("Mounts");
		mounts.addObject().put("Type", "bind").put("Source", "/srv/share").put("Target", "/share").putObject("BindOptions")
			.put("Propagation", "rshared");
		mounts.addObject().put("Type", "volume").put("Source", "seed").put("Target", "/seed").putObject("VolumeOptions").put("NoCopy", true);
		mounts.addObject().put("Type", "tmpfs").put("Target", "/fast").putObject("TmpfsOptions").put("SizeBytes", 1048576).put("Mode", 01777);

		assertThat(rebuilt(c).values("--mount")).containsExactly("type=bind,source=/srv/share,destination=/share,bind-propagation=rshared",
				"type=volume,source=seed,destination=/seed,volume-nocopy", "type=tmpfs,destination=/fast,tmpfs-size=1048576,tmpfs-mode=1777");
	}

	@Test
	void lessCommonSettingsAreSpelledTheWayDockerRunTakesThem() {
		ObjectNode c = captured("rl-plain").deepCopy();
		ObjectNode host = (ObjectNode) c.get("HostConfig");
		host.put("BlkioWeight", 300).put("MemorySwap", -1).put("Memory", 268435456).put("OomScoreAdj", -500)
			.put("CgroupParent", "/batch").put("UsernsMode", "host").put("Privileged", true);
		host.putArray("Links").add("/db:/rl-plain/database");
		host.putArray("Devices").addObject().put("PathOnHost", "/dev/fuse").put("PathInContainer", "/dev/fuse")
			.put("CgroupPermissions", "rwm");
		host.putArray("SecurityOpt").add("label=disable").add("apparmor=docker-default");
		((ObjectNode) c.get("Config")).putObject("Healthcheck").putArray("Test").add("NONE");
		assertThat(rebuilt(c).render()).isEqualTo("docker run -d --name rl-plain --link db:database --memory 256m "
				+ "--memory-swap -1 --oom-score-adj -500 --blkio-weight 300 --device /dev/fuse --cgroup-parent /batch "
				+ "--no-healthcheck --userns host --privileged --security-opt apparmor=docker-default "
				+ "virtwise/probe:latest sleep infinity");
	}

	@Test
	void everyNewOptionReadsBackAndHostNetworkingDropsTheAliases() {
		DockerRunLine full = rebuilt(captured("rl-full"));
		assertThat(DockerRunLine.parse(full.render())).isEqualTo(full);
		DockerRunLine host = full.withNetworkHost();
		assertThat(host.has("--network-alias")).isFalse();
		assertThat(host.values("--user")).containsExactly("1000:1000");
		assertThat(host.values("--cap-drop")).containsExactly("ALL");
	}

	@Test
	void durationsAreGoDurations() {
		assertThat(RunLineRebuilder.duration(30_000_000_000L)).isEqualTo("30s");
		assertThat(RunLineRebuilder.duration(1_500_000_000L)).isEqualTo("1500ms");
		assertThat(RunLineRebuilder.duration(1_500L)).isEqualTo("1500ns");
	}

	@Test
	void aHealthCheckThatLogsInHasItsPasswordRedacted() {
		com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) captured("rl-plain").deepCopy();
		com.fasterxml.jackson.databind.node.ObjectNode check = ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("Config"))
			.putObject("Healthcheck");
		check.putArray("Test").add("CMD-SHELL").add("redis-cli -u redis://:hunter2@localhost ping && curl -H 'Authorization: Bearer tk9' x");
		assertThat(rebuilt(c).render()).contains("--health-cmd 'redis-cli -u redis://:<redacted>@localhost ping && curl -H '")
			.doesNotContain("hunter2", "tk9");

		check.putArray("Test").add("CMD").add("app").add("--token").add("tk9secret");
		DockerRunLine exec = rebuilt(c);
		assertThat(exec.notes()).anyMatch(n -> n.startsWith("its health check runs app --token <redacted> without a shell"));
		assertThat(exec.render()).doesNotContain("tk9secret");
	}

	@Test
	void secretsInEveryDockerFieldThatLeakedAreRedacted() {
		com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) captured("rl-plain").deepCopy();
		com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode) c.get("Config");
		config.putObject("Healthcheck").putArray("Test").add("CMD").add("x").add("--password").add("hc9secret");
		config.putArray("Entrypoint").add("sshpass").add("-p").add("ep9secret");
		config.putArray("Cmd").add("ssh").add("--pass").add("-cmd9secret");
		config.putObject("Labels").put("com.example.cfg", "{\"db\":{\"password\":\"lb9secret\"}}")
			.put("traefik.http.middlewares.a.basicauth.users", "admin:$$apr1$$H6uskkkW$$IgXLP6ewTrSuBkTrqE8wj/");
		((com.fasterxml.jackson.databind.node.ObjectNode) c.get("HostConfig")).putObject("LogConfig").put("Type", "syslog")
			.putObject("Config").put("x-api-pass", "lo9secret");
		DockerRunLine line = rebuilt(c);
		assertThat(line.render() + String.join("\n", line.notes())).doesNotContain("hc9secret", "ep9secret", "cmd9secret", "lb9secret",
				"H6uskkkW", "lo9secret").contains("--log-opt 'x-api-pass=<redacted>'");
	}
}
