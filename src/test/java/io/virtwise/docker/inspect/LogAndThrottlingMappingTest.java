package io.virtwise.docker.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.host.CgroupCpuReader.CfsStat;
import org.junit.jupiter.api.Test;

/**
 * Log options and CFS counters in container facts. log-merge.json comes from a private dockerd
 * whose daemon.json sets log-opts (capture-log-merge.sh): what its containers show is what the
 * daemon merged in when they were created.
 */
class LogAndThrottlingMappingTest {

	static final Path LOG_MERGE = DockerFixtures.DIR.resolve("log-merge.json");

	static ContainerFacts mapped(Path file, String name) {
		return DockerFactsMapper.container(DockerFixtures.container(file, name), EngineContext.UNKNOWN, null);
	}

	@Test
	void daemonLogOptsReachAContainerOnTheDaemonsDriver() {
		ContainerFacts c = mapped(LOG_MERGE, "lm-default");

		assertThat(c.logDriver()).isEqualTo("json-file");
		assertThat(c.logMaxSize()).isEqualTo("10m");
	}

	@Test
	void aContainersOwnMaxSizeWins() {
		assertThat(mapped(LOG_MERGE, "lm-own").logMaxSize()).isEqualTo("1m");
	}

	@Test
	void theLocalDriverWithItsDefaultsHasNoMaxSizeOption() {
		ContainerFacts c = mapped(LOG_MERGE, "lm-local");

		assertThat(c.logDriver()).isEqualTo("local");
		assertThat(c.logMaxSize()).isEmpty();
	}

	@Test
	void theLabsEngineWithoutLogOptsLeavesJsonFileUnbounded() {
		ContainerFacts plain = mapped(DockerFixtures.RUNLINE, "rl-plain");
		ContainerFacts full = mapped(DockerFixtures.RUNLINE, "rl-full");

		assertThat(plain.logDriver()).isEqualTo("json-file");
		assertThat(plain.logMaxSize()).isEmpty();
		assertThat(full.logDriver()).isEqualTo("local");
		assertThat(full.logMaxSize()).isEqualTo("10m");
	}

	@Test
	void noLogConfigIsUnknownNotUnbounded() {
		ObjectNode inspect = (ObjectNode) DockerFixtures.container(DockerFixtures.RUNLINE, "rl-plain").deepCopy();
		((ObjectNode) inspect.get("HostConfig")).remove("LogConfig");

		ContainerFacts c = DockerFactsMapper.container(inspect, EngineContext.UNKNOWN, null);

		assertThat(c.logDriver()).isNull();
		assertThat(c.logMaxSize()).isNull();
	}

	@Test
	void cfsCountersAreFilledOnlyWhenRead() {
		JsonNode inspect = DockerFixtures.container(DockerFixtures.RUNLINE, "rl-plain");

		ContainerFacts read = DockerFactsMapper.container(inspect, EngineContext.UNKNOWN, null, new CfsStat(251, 249));
		ContainerFacts unread = DockerFactsMapper.container(inspect, EngineContext.UNKNOWN, null);

		assertThat(read.cpuPeriods()).isEqualTo(251);
		assertThat(read.cpuThrottledPeriods()).isEqualTo(249);
		assertThat(unread.cpuPeriods()).isNull();
		assertThat(unread.cpuThrottledPeriods()).isNull();
		// the live reading changes nothing the inspect data says
		assertThat(read.runCommand()).isEqualTo(unread.runCommand());
		assertThat(read.logDriver()).isEqualTo(unread.logDriver());
	}
}
