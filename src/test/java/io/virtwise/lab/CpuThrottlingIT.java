package io.virtwise.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import io.virtwise.LabRequirement;
import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.fix.CpuQuotaRelief;
import io.virtwise.facts.CpuSets;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.docker.inspect.DockerInspector;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.HostFacts;
import io.virtwise.host.HostInspector;
import io.virtwise.probe.core.ProbeOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CFS quota throttling end to end on the lab's engine: a container at {@code --cpus 0.2} running a busy
 * loop is throttled; the inspector reads its cgroup's cpu.stat live; the rule fires; the printed
 * {@code docker update} runs exactly as printed (bash, the docker CLI) and the throttling stops; the
 * printed rollback runs as printed and puts back the quota and a cpuset of every CPU. The container is
 * labelled for this run and removed however the test ends.
 */
class CpuThrottlingIT {

	static final String RUN_KEY = "io.virtwise.test.run";
	static final String RUN = "vwdh-throttle-" + UUID.randomUUID().toString().substring(0, 8);
	static final String NAME = RUN;
	static final Pattern UPDATE = Pattern.compile("docker update(?: --cpuset-cpus (\\S+))? --cpus (\\S+) " + Pattern.quote(NAME)
			+ "(?:   # .*)?");

	static DockerClient docker;
	static DockerInspector inspector;

	@BeforeAll
	static void startABusyLoopAtAFifthOfACpu() {
		docker = LabEngine.connect();
		try {
			docker.inspectImageCmd(ProbeOptions.IMAGE).exec();
		}
		catch (NotFoundException e) {
			LabRequirement.unavailable("the image " + ProbeOptions.IMAGE + " is missing (scripts/lab-up docker builds it)", e);
		}
		inspector = new DockerInspector(docker, (String) null);
		String id = docker.createContainerCmd(ProbeOptions.IMAGE).withName(NAME)
			.withLabels(new HashMap<>(Map.of("io.virtwise.test", "1", RUN_KEY, RUN)))
			.withHostConfig(HostConfig.newHostConfig().withNanoCPUs(200_000_000L).withNetworkMode("none"))
			.withCmd("sh", "-c", "while :; do :; done")
			.exec()
			.getId();
		docker.startContainerCmd(id).exec();
	}

	@AfterAll
	static void removeIt() {
		if (docker == null) {
			return;
		}
		for (Container c : ours()) {
			docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
		}
		assertThat(ours()).as("containers labelled %s=%s left behind", RUN_KEY, RUN).isEmpty();
	}

	@Test
	void throttlingIsReadTheRuleFiresAndItsFixAndRollbackRunAsPrinted() throws Exception {
		// at least the rule's minimum of periods: about 10 s of a busy loop at the default 100 ms period
		ContainerFacts before = waitForPeriods(CpuQuotaRelief.MIN_PERIODS + 20, Duration.ofSeconds(90));
		System.out.printf("throttled: %d of %d periods at --cpus %s%n", before.cpuThrottledPeriods(), before.cpuPeriods(),
				before.cpuLimit());
		assertThat(before.cpuLimit()).isEqualTo(0.2);
		// a busy loop at a fifth of a CPU spends its quota in nearly every period it runs (128 of 130 here);
		// a loaded machine may give it less than its quota in some, so the rule's own threshold is what is asserted
		assertThat(CpuQuotaRelief.throttledShare(before)).isGreaterThan(CpuQuotaRelief.THROTTLED_SHARE);

		HostFacts host = HostInspector.live().inspect();
		Recommendation r = throttlingAdvice(host, before);
		System.out.println(String.join("\n", r.fix()));
		System.out.println("rollback: " + String.join("\n", r.rollback()));

		String fix = r.fix().get(0);
		Matcher update = UPDATE.matcher(fix);
		assertThat(update.matches()).as(fix).isTrue();
		String cpuset = update.group(1);
		int cpus = Integer.parseInt(update.group(2));
		assertThat(cpus).isGreaterThanOrEqualTo(1);
		if (cpuset != null) {
			assertThat(CpuSets.parse(List.of(cpuset))).hasSize(cpus).doesNotContain(CpuSets.ofHost(host).first());
		}

		bash(fix);
		InspectContainerResponse fixed = docker.inspectContainerCmd(NAME).exec();
		assertThat(fixed.getHostConfig().getNanoCPUs()).isEqualTo(cpus * 1_000_000_000L);
		assertThat(fixed.getHostConfig().getCpusetCpus()).isEqualTo(cpuset == null ? "" : cpuset);
		assertThat(fixed.getState().getRunning()).as("docker update changes it in place").isTrue();

		// the counters keep counting; what matters is that throttled periods stop growing
		ContainerFacts start = inspector.container(NAME).orElseThrow();
		Thread.sleep(3000);
		ContainerFacts end = inspector.container(NAME).orElseThrow();
		long periods = end.cpuPeriods() - start.cpuPeriods();
		long throttled = end.cpuThrottledPeriods() - start.cpuThrottledPeriods();
		System.out.printf("after the fix: %d of %d periods throttled in 3 s%n", throttled, periods);
		assertThat(periods).isGreaterThan(10);
		assertThat(throttled).isLessThanOrEqualTo(periods / 10);
		assertThat(advise(host, end)).noneMatch(a -> a.id().equals("DOCKER-CPU-THROTTLED"));

		bash(r.rollback().get(0));
		InspectContainerResponse back = docker.inspectContainerCmd(NAME).exec();
		assertThat(back.getHostConfig().getNanoCPUs()).isEqualTo(200_000_000L);
		// docker update cannot clear a cpuset: the way back is one of every CPU, which is what none gave it
		assertThat(back.getHostConfig().getCpusetCpus())
			.isEqualTo(cpuset == null ? "" : CpuSets.format(CpuSets.ofHost(host)));
		ContainerFacts rolledBack = inspector.container(NAME).orElseThrow();
		Thread.sleep(2000);
		ContainerFacts later = inspector.container(NAME).orElseThrow();
		System.out.printf("after the rollback: %d of %d periods throttled in 2 s%n",
				later.cpuThrottledPeriods() - rolledBack.cpuThrottledPeriods(), later.cpuPeriods() - rolledBack.cpuPeriods());
		assertThat((double) (later.cpuThrottledPeriods() - rolledBack.cpuThrottledPeriods())).as("throttled again at --cpus 0.2")
			.isGreaterThan((later.cpuPeriods() - rolledBack.cpuPeriods()) * CpuQuotaRelief.THROTTLED_SHARE);
	}

	private static ContainerFacts waitForPeriods(long periods, Duration limit) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		ContainerFacts c = null;
		while (System.nanoTime() < deadline) {
			c = inspector.container(NAME).orElseThrow();
			assertThat(c.cpuPeriods()).as("cpu.stat of a running container on the local engine").isNotNull();
			if (c.cpuPeriods() >= periods) {
				return c;
			}
			Thread.sleep(1000);
		}
		throw new AssertionError("only " + (c == null ? null : c.cpuPeriods()) + " CFS periods after " + limit);
	}

	/** The advice for the host and this container alone, so other tests' containers cannot change the plan. */
	private static List<Recommendation> advise(HostFacts host, ContainerFacts c) throws Exception {
		Facts facts = new Facts(Facts.SCHEMA_VERSION, "now", "CpuThrottlingIT", host, List.of(c), List.of(), List.of(),
				inspector.engine());
		return AdviceEngine.evaluate(RuleBase.load(Path.of("rules")), facts);
	}

	private static Recommendation throttlingAdvice(HostFacts host, ContainerFacts c) throws Exception {
		List<Recommendation> throttled = advise(host, c).stream().filter(a -> a.id().equals("DOCKER-CPU-THROTTLED")).toList();
		assertThat(throttled).hasSize(1);
		assertThat(throttled.get(0).subject()).isEqualTo(NAME);
		return throttled.get(0);
	}

	private static void bash(String line) throws Exception {
		Process p = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as("%s%n%s", line, out).isZero();
	}

	private static List<Container> ours() {
		return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RUN_KEY, RUN)).exec();
	}
}
