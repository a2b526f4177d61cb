package io.virtwise.advice;

import io.virtwise.advice.fix.LogRotation;
import static io.virtwise.advice.RuleTesting.assertComplete;
import static io.virtwise.advice.RuleTesting.assertStableOnceJitCompiled;
import static io.virtwise.advice.RuleTesting.found;
import static io.virtwise.advice.RuleTesting.get;
import static io.virtwise.advice.RuleTesting.ids;
import static io.virtwise.advice.RuleTesting.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.virtwise.facts.ConntrackFacts;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.CpuFacts;
import io.virtwise.facts.EngineFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.KsmFacts;
import io.virtwise.facts.MemoryFacts;
import io.virtwise.facts.NumaNode;
import io.virtwise.facts.PortBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Advice experts give that was missing (issue 17, class 9), through the real rule base: CFS quota
 * throttling, json-file logs without max-size, conntrack pressure under NAT, KSM on a KVM host.
 */
class MissingAdviceRulesTest {

	// --- facts, as small as each rule needs ---

	/** One socket, {@code cores} cores of {@code threads} hyper-threads (siblings cpu and cpu + cores), one node. */
	static HostFacts host(int cores, int threads, ConntrackFacts conntrack, KsmFacts ksm) {
		List<List<Integer>> siblings = new ArrayList<>();
		List<Integer> all = new ArrayList<>();
		for (int core = 0; core < cores; core++) {
			List<Integer> s = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				s.add(core + t * cores);
			}
			siblings.add(s);
		}
		for (int cpu = 0; cpu < cores * threads; cpu++) {
			all.add(cpu);
		}
		return new HostFacts("h", new CpuFacts(null, null, 1, cores, cores * threads, threads, siblings, null),
				List.of(new NumaNode(0, all, 8L << 20, 4L << 20)), null, new MemoryFacts(8L << 20, 6L << 20, 0L), null, null,
				null, null, null, null, null, null, conntrack, ksm);
	}

	static HostFacts twoCpus() {
		return host(2, 1, null, null);
	}

	static EngineFacts engine(String logDriver, Boolean iptables) {
		return new EngineFacts("20.10.24", "1.41", "overlay2", "extfs", "cgroupfs", "1", true, iptables, logDriver, "runc",
				"/var/lib/docker", 1);
	}

	static ContainerFacts container(String name, String state, List<String> cpuset, Double cpus, String runCommand,
			Long periods, Long throttled, String logDriver, String logMaxSize, List<PortBinding> ports) {
		return new ContainerFacts("id-" + name, name, "virtwise/probe:latest", state, "bridge", cpuset, cpus, null, ports,
				List.of(), 0L, false, "default", "no", "172.17.0.2", List.of(), Map.of(), runCommand, false, "sha256:0",
				periods, throttled, logDriver, logMaxSize, null, null);
	}

	static ContainerFacts throttled(String name, List<String> cpuset, double cpus, String runCommand, long periods, long throttled) {
		return container(name, "running", cpuset, cpus, runCommand, periods, throttled, "json-file", "10m", List.of());
	}

	static String runLine(String name, String limits) {
		return "docker run -d --name " + name + " " + limits + " virtwise/probe:latest sh -c 'while :; do :; done'";
	}

	static Facts facts(HostFacts host, EngineFacts engine, List<ContainerFacts> containers, List<GuestFacts> guests) {
		return new Facts(Facts.SCHEMA_VERSION, "2026-12-07T00:00:00Z", "test", host, containers, guests, List.of(), engine);
	}

	static List<Recommendation> advise(HostFacts host, ContainerFacts... containers) {
		return RuleTesting.advise(facts(host, null, List.of(containers), List.of()));
	}

	// --- CFS quota throttling ---

	@Test
	void aThrottledContainerGetsAWholeCoreOffTheHostsFirstAndItsWayBack() {
		ContainerFacts c = throttled("api", List.of(), 0.2, runLine("api", "--cpus 0.2"), 251, 249);

		Recommendation r = only(advise(twoCpus(), c), "DOCKER-CPU-THROTTLED");

		assertThat(r.severity()).isEqualTo(Severity.MEDIUM);
		assertThat(r.subject()).isEqualTo("api");
		assertThat(r.fix().get(0)).startsWith("docker update --cpuset-cpus 1 --cpus 1 api   #");
		assertThat(r.rollback()).hasSize(1);
		assertThat(r.rollback().get(0)).startsWith("docker update --cpuset-cpus 0-1 --cpus 0.2 api   #");
		assertThat(r.evidence()).contains(new Evidence("containers[api].cpuThrottledPeriods", "249 (nr_throttled: 99%)"));
		assertThat(r.fix().get(1)).isEqualTo("# a whole core (CPU 1) that no guest is pinned to and no other container's cpuset "
				+ "names, off the host's first core; the quota covers all of it");
		assertThat(r.fix()).anySatisfy(f -> assertThat(f).startsWith("# and where").doesNotContain("--cpus 0.2")
			.contains("--cpuset-cpus 1").contains("--cpus 1"));
		assertThat(r.expectedEffect()).contains("runs 20 ms and then waits up to 80 ms").contains("Not measured in RC25482");
		assertComplete(r, "docker-resources.drl");
		assertThat(r.tradeOff()).contains("does not reserve");
		assertThat(r.needsRestart()).isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			a quarter exactly is not more than a quarter | running | 0.2 | 400 | 100
			too few periods to judge                      | running | 0.2 |  99 |  99
			no CPU limit                                  | running |     | 500 | 400
			stopped                                       | exited  | 0.2 | 500 | 400
			counters unknown                              | running | 0.2 |     |
			""")
	void silentUnlessMeasurablyThrottled(String why, String state, Double cpus, Long periods, Long throttled) {
		ContainerFacts c = container("api", state, List.of(), cpus, runLine("api", cpus == null ? "" : "--cpus " + cpus),
				periods, throttled, "json-file", "10m", List.of());

		assertThat(ids(advise(twoCpus(), c))).doesNotContain("DOCKER-CPU-THROTTLED");
	}

	@Test
	void silentOnceTheQuotaCoversItsCpusetEvenThoughTheCountersRemember() {
		// after the fix: cpuset 1, --cpus 1; nr_throttled keeps what it counted before
		ContainerFacts fixed = throttled("api", List.of("1"), 1.0, runLine("api", "--cpuset-cpus 1 --cpus 1"), 400, 300);

		assertThat(ids(advise(twoCpus(), fixed))).doesNotContain("DOCKER-CPU-THROTTLED");
	}

	@Test
	void aQuotaSetAsCpuQuotaIsRaisedTheSameWay() {
		// docker update refuses --cpus on a container created with --cpu-quota, and the other way round
		ContainerFacts c = throttled("db", List.of(), 0.5, runLine("db", "--cpu-quota 25000 --cpu-period 50000"), 1000, 800);

		Recommendation r = only(advise(host(4, 1, null, null), c), "DOCKER-CPU-THROTTLED");

		assertThat(r.fix().get(0)).startsWith("docker update --cpuset-cpus 1 --cpu-quota 50000 db");
		assertThat(r.rollback().get(0)).startsWith("docker update --cpuset-cpus 0-3 --cpu-quota 25000 db");
		assertThat(r.expectedEffect()).contains("runs 25 ms and then waits up to 25 ms");
	}

	@Test
	void aContainerWithItsOwnCpusetKeepsItAndGetsTheQuotaOfAllOfIt() {
		ContainerFacts c = throttled("web", List.of("2-3"), 0.5, runLine("web", "--cpuset-cpus 2-3 --cpus 0.5"), 1000, 600);

		Recommendation r = only(advise(host(4, 1, null, null), c), "DOCKER-CPU-THROTTLED");

		assertThat(r.fix().get(0)).startsWith("docker update --cpus 2 web");
		assertThat(r.rollback()).containsExactly("docker update --cpus 0.5 web");
	}

	@Test
	void onAHyperThreadedHostTheCoreComesWithItsSibling() {
		// 4 cores x 2 threads: core 1 is CPUs 1 and 5
		ContainerFacts c = throttled("api", List.of(), 1.5, runLine("api", "--cpus 1.5"), 1000, 900);

		Recommendation r = only(advise(host(4, 2, null, null), c), "DOCKER-CPU-THROTTLED");

		assertThat(r.fix().get(0)).startsWith("docker update --cpuset-cpus 1,5 --cpus 2 api");
		assertThat(r.rollback().get(0)).startsWith("docker update --cpuset-cpus 0-7 --cpus 1.5 api");
	}

	@Test
	void coresPinnedToGuestsOrInOtherCpusetsAreNeverHandedOut() {
		GuestFacts pinned = new GuestFacts("vm", "u", "running", "kvm", 1, 1L << 20, false, List.of(1), List.of(0));
		ContainerFacts other = container("batch", "running", List.of("2"), 1.0, runLine("batch", "--cpuset-cpus 2"), null, null,
				"json-file", "10m", List.of());
		ContainerFacts c = throttled("api", List.of(), 0.2, runLine("api", "--cpus 0.2"), 1000, 900);

		List<Recommendation> all = RuleTesting.advise(facts(host(4, 1, null, null), null, List.of(c, other), List.of(pinned)));

		assertThat(get(all, "DOCKER-CPU-THROTTLED", "api").fix().get(0)).startsWith("docker update --cpuset-cpus 3 --cpus 1 api");
	}

	@Test
	void twoThrottledContainersNeverGetTheSameCore() {
		ContainerFacts a = throttled("a", List.of(), 0.5, runLine("a", "--cpus 0.5"), 1000, 900);
		ContainerFacts b = throttled("b", List.of(), 0.5, runLine("b", "--cpus 0.5"), 1000, 900);

		List<Recommendation> all = advise(host(3, 1, null, null), a, b);

		assertThat(get(all, "DOCKER-CPU-THROTTLED", "a").fix().get(0)).startsWith("docker update --cpuset-cpus 1 --cpus 1 a");
		assertThat(get(all, "DOCKER-CPU-THROTTLED", "b").fix().get(0)).startsWith("docker update --cpuset-cpus 2 --cpus 1 b");
	}

	@Test
	void withNoCoreLeftOnlyTheQuotaIsRaisedAndItSaysWhy() {
		ContainerFacts a = throttled("a", List.of(), 0.5, runLine("a", "--cpus 0.5"), 1000, 900);
		ContainerFacts b = throttled("b", List.of(), 0.5, runLine("b", "--cpus 0.5"), 1000, 900);

		List<Recommendation> all = advise(twoCpus(), a, b);

		assertThat(get(all, "DOCKER-CPU-THROTTLED", "a").fix().get(0)).startsWith("docker update --cpuset-cpus 1 --cpus 1 a");
		Recommendation second = get(all, "DOCKER-CPU-THROTTLED", "b");
		assertThat(second.fix().get(0)).startsWith("docker update --cpus 1 b");
		assertThat(second.fix().get(1)).contains("a larger quota only, on shared CPUs");
		assertThat(second.rollback()).containsExactly("docker update --cpus 0.5 b");
	}

	@Test
	void withoutHostFactsTheQuotaIsRaisedWithoutACpuset() {
		ContainerFacts c = throttled("api", List.of(), 0.2, runLine("api", "--cpus 0.2"), 1000, 900);

		Recommendation r = only(advise(null, c), "DOCKER-CPU-THROTTLED");

		assertThat(r.fix().get(0)).startsWith("docker update --cpus 1 api");
		assertThat(r.fix().get(1)).contains("the host's CPUs are unknown");
	}

	// --- json-file logs without max-size ---

	static ContainerFacts logging(String name, String state, String driver, String maxSize) {
		return container(name, state, List.of(), null, runLine(name, ""), null, null, driver, maxSize, List.of());
	}

	@Test
	void unboundedJsonFileLogsGiveOneEngineFindingWithAMergedDaemonJson() {
		List<ContainerFacts> containers = List.of(logging("web", "running", "json-file", ""),
				logging("db", "running", "json-file", "-1"), logging("bounded", "running", "json-file", "10m"),
				logging("compact", "running", "local", ""), logging("idle", "exited", "json-file", ""));

		Recommendation r = only(RuleTesting.advise(facts(null, engine("json-file", true), containers, List.of())),
				"DOCKER-LOG-UNBOUNDED");

		assertThat(r.severity()).isEqualTo(Severity.LOW);
		assertThat(r.subject()).isEqualTo("docker");
		assertThat(r.title()).startsWith("2 running containers");
		assertThat(r.evidence()).extracting(Evidence::fact).containsExactly("docker.loggingDriver",
				"containers[db].logMaxSize", "containers[web].logMaxSize");
		assertThat(r.fix()).contains(LogRotation.daemonJsonMerge());
		assertThat(r.fix()).anySatisfy(f -> assertThat(f).contains("keep their log options until they are re-created")
			.contains("--log-opt max-size=10m --log-opt max-file=3"));
		assertThat(r.fix()).noneSatisfy(f -> assertThat(f).startsWith("docker rm"));
		assertThat(r.rollback()).first().isEqualTo(LogRotation.daemonJsonRollback());
		assertThat(r.needsRestart()).isTrue();
		assertComplete(r, "docker-resources.drl");
	}

	@Test
	void onAnEngineWhoseDefaultDriverTakesNoMaxSizeNoDaemonJsonIsPrinted() {
		List<ContainerFacts> containers = List.of(logging("web", "running", "json-file", ""));

		Recommendation r = only(RuleTesting.advise(facts(null, engine("journald", true), containers, List.of())),
				"DOCKER-LOG-UNBOUNDED");

		assertThat(r.fix()).noneSatisfy(f -> assertThat(f).contains("daemon.json;"));
		assertThat(r.fix().get(0)).startsWith("# the engine's default log driver is journald");
		assertThat(r.rollback()).isEmpty();
	}

	@Test
	void boundedOrOtherDriversAreSilent() {
		List<ContainerFacts> containers = List.of(logging("bounded", "running", "json-file", "10m"),
				logging("compact", "running", "local", ""), logging("journal", "running", "journald", ""),
				logging("unknown", "running", null, null));

		assertThat(ids(RuleTesting.advise(facts(null, engine("json-file", true), containers, List.of()))))
			.doesNotContain("DOCKER-LOG-UNBOUNDED");
	}

	// --- conntrack under NAT ---

	static final List<PortBinding> PUBLISHED = List.of(new PortBinding(80, "tcp", "0.0.0.0", 8080, "dnat"));

	static List<Recommendation> conntrack(ConntrackFacts ct, Boolean iptables, List<PortBinding> ports) {
		ContainerFacts web = container("web", "running", List.of(), null, runLine("web", "-p 8080:80"), null, null, "json-file",
				"10m", ports);
		return RuleTesting.advise(facts(host(2, 1, ct, null), iptables == null ? null : engine("json-file", iptables),
				List.of(web), List.of()));
	}

	@Test
	void aNearlyFullTableUnderDockerNatIsLowWithASysctlAndItsWayBack() {
		Recommendation r = only(conntrack(new ConntrackFacts(200_000L, 262_144L, 262_144L, 0L, 0L, 0L), true, List.of()),
				"HOST-CONNTRACK-PRESSURE");

		assertThat(r.severity()).isEqualTo(Severity.LOW);
		assertThat(r.evidence()).contains(new Evidence("host.conntrack.count", "200000 (76% of max)"),
				new Evidence("docker.iptables", "true"));
		assertThat(r.fix()).startsWith("sysctl -w net.netfilter.nf_conntrack_max=524288   # twice today's limit, at once, no restart",
				"echo 'net.netfilter.nf_conntrack_max = 524288' > /etc/sysctl.d/80-virtwise-conntrack.conf   # kept across reboots");
		assertThat(r.rollback()).containsExactly("sysctl -w net.netfilter.nf_conntrack_max=262144",
				"rm -f /etc/sysctl.d/80-virtwise-conntrack.conf /etc/modules-load.d/80-virtwise-conntrack.conf");
		assertThat(r.source()).contains("moby/moby issue 7857");
		assertComplete(r, "host-network.drl");
	}

	@Test
	void droppedPacketsMakeItMediumWhateverTheTableHoldsNow() {
		Recommendation r = only(conntrack(new ConntrackFacts(1_000L, 65_536L, 65_536L, 12L, 40L, 3L), null, PUBLISHED),
				"HOST-CONNTRACK-PRESSURE");

		assertThat(r.severity()).isEqualTo(Severity.MEDIUM);
		assertThat(r.evidence()).extracting(Evidence::fact).contains("host.conntrack.drops", "host.conntrack.earlyDrops",
				"host.conntrack.insertFailed", "containers[*].ports");
		assertThat(r.fix().get(0)).startsWith("sysctl -w net.netfilter.nf_conntrack_max=131072");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			no NAT: iptables off, no published port       | 250000 | 262144 | 5 | false | false
			no NAT: nothing known of the engine or ports  | 250000 | 262144 | 5 |       | false
			74% full and nothing dropped                   | 193987 | 262144 | 0 | true  | true
			only insertion races                           |   1000 | 262144 | 0 | true  | true
			""")
	void silentWithoutNatOrPressure(String why, long count, long max, long drops, Boolean iptables, boolean published) {
		ConntrackFacts ct = new ConntrackFacts(count, max, null, drops, 0L, 50L);

		assertThat(ids(conntrack(ct, iptables, published ? PUBLISHED : List.of()))).doesNotContain("HOST-CONNTRACK-PRESSURE");
	}

	// --- KSM ---

	static final GuestFacts GUEST = new GuestFacts("vm", "u", "running", "kvm", 2, 2L << 20, false, List.of(), List.of(0));

	@Test
	void ksmMergingOnAHostWithGuestsIsLowAndStopsWithoutUnmerging() {
		HostFacts h = host(2, 1, null, new KsmFacts(1, 2048L, 180_224L, 37L, 1));

		Recommendation r = only(RuleTesting.advise(facts(h, null, List.of(), List.of(GUEST))), "HOST-KSM-MERGING");

		assertThat(r.severity()).isEqualTo(Severity.LOW);
		assertThat(r.evidence()).contains(new Evidence("host.ksm.pagesSharing", "180224 (about 704.0 MiB saved, at 4 KiB pages)"));
		assertThat(r.fix().get(0)).startsWith("echo 0 > /sys/kernel/mm/ksm/run");
		assertThat(r.fix()).noneSatisfy(f -> assertThat(f).startsWith("echo 2"));
		assertThat(r.fix().get(1)).contains("704.0 MiB back at once").contains("MemAvailable: 6.0 GiB");
		assertThat(r.rollback()).first().asString().startsWith("echo 1 > /sys/kernel/mm/ksm/run");
		assertThat(r.tradeOff()).startsWith("Density");
		assertComplete(r, "host-memory.drl");
	}

	@ParameterizedTest(name = "run {0}, sharing {1}, guests {2}")
	@CsvSource({ "1, 180224, false", "0, 180224, true", "2, 0, true", "1, 0, true" })
	void silentWithoutGuestsOrMerging(int run, long sharing, boolean guests) {
		HostFacts h = host(2, 1, null, new KsmFacts(run, 10L, sharing, 1L, 1));

		assertThat(ids(RuleTesting.advise(facts(h, null, List.of(), guests ? List.of(GUEST) : List.of()))))
			.doesNotContain("HOST-KSM-MERGING");
	}

	// --- all four together ---

	@Test
	void allFourFireTogetherAndStayStableOnceJitCompiled() {
		HostFacts h = host(4, 2, new ConntrackFacts(250_000L, 262_144L, 262_144L, 1L, 0L, 0L), new KsmFacts(1, 1L, 9L, 1L, 1));
		List<ContainerFacts> containers = List.of(throttled("api", List.of(), 0.2, runLine("api", "--cpus 0.2"), 500, 400),
				logging("web", "running", "json-file", ""));
		Facts all = facts(h, engine("json-file", true), containers, List.of(GUEST));

		assertThat(found(RuleTesting.advise(all))).contains("DOCKER-CPU-THROTTLED@api", "DOCKER-LOG-UNBOUNDED@docker",
				"HOST-CONNTRACK-PRESSURE@host", "HOST-KSM-MERGING@host");
		assertStableOnceJitCompiled(all, facts(h, null, List.of(), List.of()),
				facts(twoCpus(), engine("journald", false), containers, List.of()));
	}

	@Test
	void eachRuleLivesInItsFamilysFile() {
		assertThat(RuleTesting.rules().fileOf("Container throttled by its CPU quota")).isEqualTo("docker-resources.drl");
		assertThat(RuleTesting.rules().fileOf("Containers logging to json-file without max-size")).isEqualTo("docker-resources.drl");
		assertThat(RuleTesting.rules().fileOf("Connection tracking table under pressure with NAT in use")).isEqualTo("host-network.drl");
		assertThat(RuleTesting.rules().fileOf("KSM merging memory on a host with guests")).isEqualTo("host-memory.drl");
	}
}
