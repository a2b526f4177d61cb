package io.virtwise.advice.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.PortBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Run lines edited word by word: what is not changed is left exactly as it was written. */
class DockerRunEditsTest {

	static final String API = "docker run -d --name api --network bridge -p 127.0.0.1:8080:80 --restart unless-stopped "
			+ "-e 'DB_PASSWORD=<redacted>' myorg/api:1.4";

	static ContainerFacts container(String name, String image, String runCommand, List<PortBinding> ports, Long written) {
		return new ContainerFacts("c0ffee", name, image, "running", "bridge", List.of(), null, null, ports, List.of(),
				written, false, "default", null, null, List.of(), null, runCommand);
	}

	// --- host networking ---

	@Test
	void networkHostReplacesTheNetworkAndDropsPublishedPorts() {
		assertThat(DockerRunEdits.withNetworkHost(API)).isEqualTo("docker run -d --name api --network host "
				+ "--restart unless-stopped -e 'DB_PASSWORD=<redacted>' myorg/api:1.4  # put the real values where it says <redacted>");
	}

	@Test
	void networkHostIsAddedAfterTheNameWhenTheLineHadNoNetwork() {
		assertThat(DockerRunEdits.withNetworkHost("docker run -d --name cache -p 6379:6379 --cpuset-cpus 4-7 redis:7.2 redis-server --save ''"))
			.isEqualTo("docker run -d --name cache --network host --cpuset-cpus 4-7 redis:7.2 redis-server --save ''");
	}

	@Test
	void networkHostDropsWhatTheEngineRefusesOnTheHostNetwork() {
		// checked against dockerd 20.10: --ip and --mac-address fail with --network host, -p is ignored
		String edited = DockerRunEdits.withNetworkHost("docker run --name x --net=mynet --ip 10.0.0.5 --mac-address 02:42:ac:11:00:02 "
				+ "--network-alias db --link other:o --publish=5432:5432 -P -e A=1 postgres:16");

		assertThat(edited).isEqualTo("docker run --name x --network host -e A=1 postgres:16");
	}

	@Test
	void flagClustersLoseOnlyTheLettersThatGo() {
		assertThat(DockerRunEdits.withNetworkHost("docker run -dP --name x nginx")).isEqualTo("docker run -d --name x --network host nginx");
		assertThat(DockerRunEdits.withNetworkHost("docker run -dit --name x nginx")).isEqualTo("docker run -dit --name x --network host nginx");
	}

	@Test
	void argumentsAfterTheImageAreNeverTouched() {
		assertThat(DockerRunEdits.withNetworkHost("docker run --name x -p 80:80 busybox httpd -p 80 -f"))
			.isEqualTo("docker run --name x --network host busybox httpd -p 80 -f");
	}

	@Test
	void anOldCommentIsDroppedWithTheOldLine() {
		assertThat(DockerRunEdits.withNetworkHost("docker run --name x -p 80:80 nginx  # published ports go through docker-proxy"))
			.isEqualTo("docker run --name x --network host nginx");
	}

	@Test
	void networkHostForAContainerSaysWhereItNowListens() {
		ContainerFacts api = container("api", "myorg/api:1.4", API,
				List.of(new PortBinding(80, "tcp", "127.0.0.1", 8080, "docker-proxy")), 0L);

		assertThat(DockerRunEdits.withNetworkHost(api)).isEqualTo("docker run -d --name api --network host "
				+ "--restart unless-stopped -e 'DB_PASSWORD=<redacted>' myorg/api:1.4  # now listens on the host's own 80/tcp "
				+ "(was -p 127.0.0.1:8080:80), on whatever address the service binds itself, typically all interfaces: "
				+ "a port reachable only from this machine may become reachable from the network, so bind the service "
				+ "to 127.0.0.1 in its own configuration; put the real values where it says <redacted>");
	}

	@Test
	void networkHostWarnsOnlyWhenAPortWasPublishedOnLoopback() {
		ContainerFacts ipv6Loopback = container("web", "nginx", "docker run -d --name web -p '[::1]:8082:82' nginx",
				List.of(new PortBinding(82, "tcp", "::1", 8082, "docker-proxy")), 0L);
		assertThat(DockerRunEdits.withNetworkHost(ipv6Loopback)).isEqualTo("docker run -d --name web --network host nginx  "
				+ "# now listens on the host's own 82/tcp (was -p [::1]:8082:82), on whatever address the service binds "
				+ "itself, typically all interfaces: a port reachable only from this machine may become reachable from "
				+ "the network, so bind the service to 127.0.0.1 in its own configuration");

		ContainerFacts everywhere = container("web", "nginx", "docker run -d --name web -p 8082:82 nginx",
				List.of(new PortBinding(82, "tcp", "0.0.0.0", 8082, "docker-proxy")), 0L);
		assertThat(DockerRunEdits.withNetworkHost(everywhere)).isEqualTo("docker run -d --name web --network host nginx  "
				+ "# now listens on the host's own 82/tcp (was -p 0.0.0.0:8082:82)");
	}

	// --- volumes ---

	@Test
	void volumeGoesWithTheMountsAndReplacesOneAtTheSamePath() {
		String line = "docker run -d --name db -p 5432:5432 -v old:/var/lib/data --mount type=bind,source=/srv/x,target=/x "
				+ "--tmpfs /run:size=64m --cpus 2 postgres:16";

		assertThat(DockerRunEdits.withVolume(line, "db-data:/var/lib/data")).isEqualTo("docker run -d --name db -p 5432:5432 "
				+ "--mount type=bind,source=/srv/x,target=/x --tmpfs /run:size=64m -v db-data:/var/lib/data --cpus 2 postgres:16");
		assertThat(DockerRunEdits.withVolume(line, "db-data:/x:ro")).isEqualTo("docker run -d --name db -p 5432:5432 "
				+ "-v old:/var/lib/data --tmpfs /run:size=64m -v db-data:/x:ro --cpus 2 postgres:16");
	}

	@Test
	void aPlaceholderIsQuotedSoTheShellCannotTakeItForARedirection() {
		assertThat(DockerRunEdits.withVolume("docker run --name db postgres:16", "db-data:<dir>"))
			.isEqualTo("docker run --name db -v 'db-data:<dir>' postgres:16");
	}

	// --- limits ---

	@Test
	void limitsReplaceTheOldOnesInTheirUsualPlace() {
		String line = "docker run -d --name w --network app --cpuset-cpus 0-3 --cpu-quota 50000 -m 512m --restart always w:1";

		assertThat(DockerRunEdits.withLimits(line, "4-15", 3.0, 4608L << 20))
			.isEqualTo("docker run -d --name w --network app --cpuset-cpus 4-15 --cpus 3 --memory 4608m --restart always w:1");
		assertThat(DockerRunEdits.withLimits(line, "4-15", null, null))
			.isEqualTo("docker run -d --name w --network app --cpuset-cpus 4-15 --cpu-quota 50000 -m 512m --restart always w:1");
		assertThat(DockerRunEdits.withLimits("docker run --name w w:1", null, 1.5, 1L << 30))
			.isEqualTo("docker run --name w --cpus 1.5 --memory 1g w:1");
	}

	@Test
	void updateChangesTheRunningContainerAndSetsSwapWithAFirstMemoryLimit() {
		ContainerFacts w = container("worker", "w:1", null, List.of(), 0L);

		assertThat(DockerRunEdits.update(w, "4-15", 3.0, 4608L << 20))
			.isEqualTo("docker update --cpuset-cpus 4-15 --cpus 3 --memory 4608m --memory-swap 9g worker");
		assertThat(DockerRunEdits.update(w, "4-15", null, null)).isEqualTo("docker update --cpuset-cpus 4-15 worker");
	}

	// --- quoting and lines that cannot be read ---

	@Test
	void quotedWordsKeepTheirQuotes() {
		String line = "docker run --name \"my app\" -p 80:80 -e 'GREETING=it'\\''s' --label \"a=b c\" img:1 sh -c 'echo \"$X\"'";

		assertThat(DockerRunEdits.withNetworkHost(line))
			.isEqualTo("docker run --name \"my app\" --network host -e 'GREETING=it'\\''s' --label \"a=b c\" img:1 sh -c 'echo \"$X\"'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "docker ps", "podman run --name x img", "docker run --name", "docker run -e 'unclosed img" })
	void aLineThatIsNotARunLineGivesNull(String line) {
		assertThat(DockerRunEdits.withNetworkHost(line)).isNull();
		assertThat(DockerRunEdits.withVolume(line, "v:/d")).isNull();
		assertThat(DockerRunEdits.withLimits(line, "0", 1.0, null)).isNull();
	}

	@Test
	void dockerContainerRunIsARunLineToo() {
		assertThat(DockerRunEdits.withNetworkHost("docker container run --name x -p 80:80 nginx"))
			.isEqualTo("docker container run --name x --network host nginx");
	}

	@Test
	void withoutARunLineTheFixIsAGenericLineThatSaysSo() {
		ContainerFacts api = container("api", "myorg/api:1.4", null, null, null);

		assertThat(DockerRunEdits.withNetworkHost(api)).isEqualTo(
				"docker run -d --name api --network host <its other options> myorg/api:1.4   # its own run line is unknown: keep its other options, drop every -p");
		assertThat(DockerRunEdits.withVolume(api, "api-data:<dir>")).startsWith("docker run -d --name api -v 'api-data:<dir>' <its other options>");
		assertThat(DockerRunEdits.withLimits(api, "4-15", 2.0, null)).startsWith("docker run -d --name api --cpuset-cpus 4-15 --cpus 2 <its other options>");
		assertThat(DockerRunEdits.withNetworkHost(container("x", null, null, null, null))).contains("<image>");
	}

	@Test
	void publishedPortsReadLikeDashP() {
		ContainerFacts c = container("c", "i", null, List.of(new PortBinding(80, "tcp", "127.0.0.1", 8080, "docker-proxy"),
				new PortBinding(53, "udp", null, 5353, "dnat"), new PortBinding(9000, "tcp", null, null, null)), null);

		assertThat(DockerRunEdits.publishedPorts(c)).isEqualTo("127.0.0.1:8080:80 (docker-proxy), 5353:53/udp (dnat)");
		assertThat(DockerRunEdits.publishedPorts(container("c", "i", null, List.of(new PortBinding(82, "tcp", "::1", 8082,
				"docker-proxy")), null))).isEqualTo("[::1]:8082:82 (docker-proxy)");
		assertThat(DockerRunEdits.publishedPorts(container("c", "i", null, List.of(), null))).isEqualTo("none");
		assertThat(DockerRunEdits.publishedPorts(container("c", "i", null, null, null))).isEqualTo("unknown");
	}

	@Test
	void bytesAreSpelledTheWayDockerReadsThem() {
		assertThat(DockerRunEdits.dockerBytes(4L << 30)).isEqualTo("4g");
		assertThat(DockerRunEdits.dockerBytes(4608L << 20)).isEqualTo("4608m");
		assertThat(DockerRunEdits.dockerBytes(1000)).isEqualTo("1000");
	}

	@Test
	void aNewMemoryLimitDropsASwapLimitNotAboveItAndAReservationNotBelowIt() {
		String line = "docker run -d --name db --memory 256m --memory-reservation 128m --memory-swap 384m postgres";
		assertThat(DockerRunEdits.withLimits(line, null, null, 1L << 30)).isEqualTo("docker run -d --name db "
				+ "--memory-reservation 128m --memory 1g postgres  # dropped --memory-swap 384m, which the engine refuses "
				+ "with the new --memory (swap then defaults to twice the limit)");
		assertThat(DockerRunEdits.withLimits(line, null, null, 64L << 20)).startsWith("docker run -d --name db "
				+ "--memory-swap 384m --memory 64m postgres  # dropped --memory-reservation 128m");
		assertThat(DockerRunEdits.withLimits("docker run --memory 1g --memory-swap -1 img", null, null, 2L << 30))
			.isEqualTo("docker run --memory-swap -1 --memory 2g img");
		assertThat(DockerRunEdits.parseBytes("384m")).isEqualTo(384L << 20);
		assertThat(DockerRunEdits.parseBytes("1G")).isEqualTo(1L << 30);
		assertThat(DockerRunEdits.parseBytes("lots")).isNull();
	}

	@Test
	void hostNetworkingDropsNetworkSysctlsAndOtherNetworksButAnEditKeepsWhatTheLineCannotSay() {
		String line = "docker run -d --name api --network app --sysctl net.core.somaxconn=1024 --sysctl kernel.msgmax=65536 "
				+ "img  # also on network backend: docker network connect backend api # its device requests (--gpus) are not in this line";
		assertThat(DockerRunEdits.withNetworkHost(line)).isEqualTo("docker run -d --name api --network host "
				+ "--sysctl kernel.msgmax=65536 img  # its device requests (--gpus) are not in this line # dropped --sysctl net.core.somaxconn=1024: "
				+ "network sysctls are refused in the host's network namespace; set them on the host if still wanted");
		assertThat(DockerRunEdits.withLimits(line, "2", null, null)).endsWith(
				"# also on network backend: docker network connect backend api # its device requests (--gpus) are not in this line");
	}
}
