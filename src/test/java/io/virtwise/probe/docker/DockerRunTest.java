package io.virtwise.probe.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DockerRunTest {

	@Test
	void theCommandLineSaysEverythingTheApiCallDoes() {
		DockerRun run = DockerRun.of("vwprobe-x-srv", Map.of("io.virtwise.probe", "x"), "virtwise/probe:latest", "sh", "-c",
				"sockperf sr --tcp -p 11111 & exec iperf3 -s -p 5201")
			.cpus("0").publish("127.0.0.1", 11111).mount("/var/tmp/d", "/probe/d").securityOpt("seccomp=unconfined")
			.capAdd("SYS_NICE").pid("host").network("host").volumesFrom("app");
		assertThat(run.commandLine()).isEqualTo("docker run -d --name vwprobe-x-srv --label io.virtwise.probe=x --network host "
				+ "--cpuset-cpus 0 -p 127.0.0.1::11111 -v /var/tmp/d:/probe/d --volumes-from app --security-opt seccomp=unconfined "
				+ "--cap-add SYS_NICE --pid host virtwise/probe:latest sh -c 'sockperf sr --tcp -p 11111 & exec iperf3 -s -p 5201'");
	}

	@Test
	void quotesOnlyWhatAShellWouldSplit() {
		assertThat(DockerRun.quote("--full-rtt")).isEqualTo("--full-rtt");
		assertThat(DockerRun.quote("it's")).isEqualTo("'it'\\''s'");
		assertThat(DockerRun.quote("")).isEqualTo("''");
		assertThat(ProbeSandbox.execLine("c", java.util.List.of("sh", "-c", "echo $((1+1))"))).isEqualTo("docker exec c sh -c 'echo $((1+1))'");
	}
}
