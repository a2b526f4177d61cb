package io.virtwise.probe.docker;

import io.virtwise.facts.Probes;
import io.virtwise.facts.ProbePaths;
import io.virtwise.facts.Metrics;
import io.virtwise.probe.core.Deadline;
import io.virtwise.probe.core.ExecResult;
import io.virtwise.probe.core.Findings;
import io.virtwise.probe.core.Iperf3Output;
import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.core.ProbeProgress;
import io.virtwise.probe.core.ProbeTarget;
import io.virtwise.probe.core.Skipped;
import io.virtwise.probe.core.SockperfOutput;
import io.virtwise.probe.core.Summary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.virtwise.facts.ProbeResult;

/**
 * TCP round trip (sockperf ping-pong) and bulk throughput (iperf3) through each way a
 * container's traffic can go, each compared with the host's own loopback.
 *
 * <p>The client is always the same container: host network, no seccomp filter (as a host
 * process has none), pinned to CPU 1. Only the server side changes per path:
 * <ul>
 * <li>{@code loopback}: server in the host's network namespace without seccomp, over 127.0.0.1:
 * the native baseline;</li>
 * <li>{@code host-net}: an ordinary {@code --network host} container (default seccomp), 127.0.0.1;</li>
 * <li>{@code bridge-ip}: a container on the bridge, reached at its own IP (veth + bridge, no NAT);</li>
 * <li>{@code published-proxy}: published on 127.0.0.1; the engine excludes 127.0.0.0/8 from its
 * OUTPUT DNAT rule, so with the userland proxy on the connection goes through docker-proxy,
 * which we pin to the client's CPU (it is ours: it exists only for our container);</li>
 * <li>{@code published-dnat}: published on the bridge's gateway address, an address of this
 * machine; from the host, nat OUTPUT DNATs it straight to the container before docker-proxy,
 * listening on the same address, could see it.</li>
 * </ul>
 * Same-core puts server and client on CPU 1; cross-core puts the server on CPU 0. Each run's
 * figure is sockperf's median (p50) of the round trips it observed; a path's median is the
 * median of those per-run medians, its p99 the median of the per-run p99s.
 */
public final class NetworkProbe {

	public static final String PROBE = Probes.DOCKER_NETWORK;
	static final int SOCKPERF_PORT = 11111;
	static final int IPERF_PORT = 5201;
	static final String THROUGHPUT_BYTES = "256M";
	static final String WARMUP_BYTES = "64M";
	static final String CLIENT_CPU = "1";

	public enum Placement {
		SAME_CORE(ProbePaths.SAME_CORE, "1"), CROSS_CORE(ProbePaths.CROSS_CORE, "0");

		final String label;
		final String serverCpu;

		Placement(String label, String serverCpu) {
			this.label = label;
			this.serverCpu = serverCpu;
		}

		public String label() {
			return label;
		}

		String shortName() {
			return this == SAME_CORE ? "s" : "x";
		}
	}

	/** One server of one path in one placement, where the client reaches it, and how it was set up. */
	record Endpoint(String path, Placement placement, String host, int sockperfPort, int iperfPort,
			List<String> setup) {
	}

	private static final Pattern PROXY_LINE = Pattern.compile("^(\\d+) .*docker-proxy .*-host-port (\\d+) ");

	private final ProbeSandbox sandbox;
	private final ProbeTarget target;
	private final ProbePlan plan;
	private final Deadline deadline;
	private final ProbeProgress progress;
	private final Findings findings;
	private final String subject;
	private String client;
	private String clientLine;
	private ProbeSandbox.Started helper;

	NetworkProbe(ProbeSandbox sandbox, ProbeTarget target, ProbePlan plan, Deadline deadline, ProbeProgress progress,
			Findings findings) {
		this.sandbox = sandbox;
		this.target = target;
		this.plan = plan;
		this.deadline = deadline;
		this.progress = progress;
		this.findings = findings;
		this.subject = target == null ? "lab" : target.name();
	}

	/** The paths measured: all five in the lab; for a container, the baseline and the ones it uses. */
	static List<String> paths(ProbeTarget target, List<Skipped> why) {
		List<String> paths = new ArrayList<>(List.of(ProbePaths.LOOPBACK));
		if (target == null) {
			paths.addAll(List.of(ProbePaths.HOST_NET, ProbePaths.BRIDGE_IP, ProbePaths.PUBLISHED_PROXY, ProbePaths.PUBLISHED_DNAT));
			return paths;
		}
		if (!target.running()) {
			why.add(new Skipped(PROBE, null, null, "all paths", "container " + target.name()
					+ " is not running: it has no network namespace to join"));
			return List.of();
		}
		String mode = target.networkMode() == null ? "" : target.networkMode();
		if (mode.equals("host")) {
			paths.add(ProbePaths.HOST_NET);
		}
		else if (mode.equals("none")) {
			why.add(new Skipped(PROBE, null, null, "all paths", "container " + target.name() + " has no network (--network none)"));
			return List.of();
		}
		else if (target.ip() == null) {
			why.add(new Skipped(PROBE, ProbePaths.BRIDGE_IP, null, "all", "container " + target.name()
					+ " has no IP address on a network this host reaches (network mode " + mode + ")"));
		}
		else {
			paths.add(ProbePaths.BRIDGE_IP);
			if (target.loopbackPublished()) {
				paths.add(ProbePaths.PUBLISHED_PROXY);
			}
			if (target.addressPublished()) {
				paths.add(ProbePaths.PUBLISHED_DNAT);
			}
		}
		return paths;
	}

	void run(List<String> paths) {
		findings.note("tcp-rr-latency: round trip in us (sockperf pp --tcp --full-rtt, -t 1: about 0.55 s of "
				+ "round trips after sockperf's own 400 ms warm-up); per path the median of the per-run p50s, "
				+ "min/max of those, and p99 = median of the per-run p99s");
		findings.note("tcp-throughput: iperf3 receiver Gbit/s for " + THROUGHPUT_BYTES.replace("M", " MiB") + " per run, after one "
				+ WARMUP_BYTES.replace("M", " MiB") + " warm-up transfer per path that is not counted");
		ProbeSandbox.Started c = sandbox.run(sandbox.container("client", "sleep", "infinity")
			.network("host").securityOpt("seccomp=unconfined").cpus(CLIENT_CPU));
		client = c.name();
		clientLine = c.commandLine();
		List<Placement> placements = plan.crossCore() ? List.of(Placement.SAME_CORE, Placement.CROSS_CORE)
				: List.of(Placement.SAME_CORE);
		for (Placement placement : placements) {
			measure(placement, paths);
		}
	}

	private void measure(Placement placement, List<String> paths) {
		List<Endpoint> endpoints = new ArrayList<>();
		for (String path : paths) {
			if (!deadline.allows(ProbePlan.CONTAINER_START + ProbePlan.SOCKPERF_RUN)) {
				findings.missedDeadline(PROBE, path, placement.label, Metrics.TCP_RR_LATENCY);
				continue;
			}
			progress.step("network " + placement.label + ": starting " + path + " server");
			try {
				endpoints.add(start(path, placement));
			}
			catch (RuntimeException e) {
				findings.skip(new Skipped(PROBE, path, placement.label, "tcp-rr-latency, tcp-throughput", message(e)));
			}
		}
		Map<Endpoint, List<Double>> p50 = new LinkedHashMap<>();
		Map<Endpoint, List<Double>> p99 = new LinkedHashMap<>();
		Map<Endpoint, String> failed = new LinkedHashMap<>();
		for (int rep = 1; rep <= plan.networkReps(); rep++) {
			for (Endpoint e : endpoints) {
				if (failed.containsKey(e)) {
					continue;
				}
				if (!deadline.allows(ProbePlan.SOCKPERF_RUN)) {
					findings.missedDeadline(PROBE, e.path, placement.label, Metrics.TCP_RR_LATENCY);
					continue;
				}
				progress.step("network " + placement.label + ": " + e.path + " round trip " + rep + "/" + plan.networkReps());
				try {
					ExecResult r = sandbox.exec(client, Duration.ofSeconds(20), sockperfArgs(e));
					SockperfOutput out = SockperfOutput.parse(r.stdout() + r.stderr());
					p50.computeIfAbsent(e, k -> new ArrayList<>()).add(out.medianUs());
					p99.computeIfAbsent(e, k -> new ArrayList<>()).add(out.p99Us());
				}
				catch (RuntimeException ex) {
					failed.put(e, message(ex));
				}
			}
		}
		Map<Endpoint, List<Double>> gbit = new LinkedHashMap<>();
		if (plan.throughput()) {
			for (Endpoint e : endpoints) {
				if (failed.containsKey(e) || !deadline.allows(ProbePlan.IPERF_RUN)) {
					continue;
				}
				try {
					// warm-up: TCP buffers and the path's caches; not counted
					sandbox.exec(client, Duration.ofSeconds(20), iperfArgs(e, WARMUP_BYTES));
				}
				catch (ProbeOutputException ignored) {
					// the measured runs below will say what is wrong
				}
			}
			for (int rep = 1; rep <= plan.networkReps(); rep++) {
				for (Endpoint e : endpoints) {
					if (failed.containsKey(e)) {
						continue;
					}
					if (!deadline.allows(ProbePlan.IPERF_RUN)) {
						findings.missedDeadline(PROBE, e.path, placement.label, Metrics.TCP_THROUGHPUT);
						continue;
					}
					progress.step("network " + placement.label + ": " + e.path + " throughput " + rep + "/" + plan.networkReps());
					try {
						ExecResult r = sandbox.exec(client, Duration.ofSeconds(30), iperfArgs(e, THROUGHPUT_BYTES));
						gbit.computeIfAbsent(e, k -> new ArrayList<>()).add(Iperf3Output.parse(r.stdout()).gbitPerSecond());
					}
					catch (RuntimeException ex) {
						findings.skip(new Skipped(PROBE, e.path, placement.label, Metrics.TCP_THROUGHPUT, message(ex)));
						failed.putIfAbsent(e, null);
					}
				}
			}
		}
		failed.forEach((e, why) -> {
			if (why != null) {
				findings.skip(new Skipped(PROBE, e.path, placement.label, Metrics.TCP_RR_LATENCY, why));
			}
		});
		record(placement, endpoints, p50, p99, gbit);
	}

	private void record(Placement placement, List<Endpoint> endpoints, Map<Endpoint, List<Double>> p50,
			Map<Endpoint, List<Double>> p99, Map<Endpoint, List<Double>> gbit) {
		Endpoint baseline = endpoints.stream().filter(e -> e.path.equals(ProbePaths.LOOPBACK)).findFirst().orElse(null);
		Double rttBase = baseline == null || !p50.containsKey(baseline) ? null : Summary.median(p50.get(baseline));
		Double gbitBase = baseline == null || !gbit.containsKey(baseline) ? null : Summary.median(gbit.get(baseline));
		for (Endpoint e : endpoints) {
			if (p50.containsKey(e)) {
				Summary s = Summary.of(p50.get(e));
				List<String> commands = new ArrayList<>(e.setup);
				commands.add(ProbeSandbox.execLine(client, sockperfArgs(e)));
				findings.add(ProbeResult.builder(PROBE, e.path, subject, Metrics.TCP_RR_LATENCY, "us", s.median()).spread(s.min(), s.max())
					.p99(Summary.median(p99.get(e))).repetitions(s.count()).baseline(rttBase).commands(commands)
					.placement(placement.label).build());
			}
			if (gbit.containsKey(e)) {
				Summary s = Summary.of(gbit.get(e));
				List<String> commands = new ArrayList<>(e.setup);
				commands.add(ProbeSandbox.execLine(client, iperfArgs(e, THROUGHPUT_BYTES)));
				findings.add(ProbeResult.builder(PROBE, e.path, subject, Metrics.TCP_THROUGHPUT, "Gbit/s", s.median()).spread(s.min(), s.max())
					.repetitions(s.count()).baseline(gbitBase).commands(commands).placement(placement.label).build());
			}
		}
	}

	static String message(Throwable e) {
		String m = e.getMessage();
		return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip().lines().findFirst().orElse(m);
	}

	static List<String> sockperfArgs(Endpoint e) {
		return List.of("sockperf", "pp", "--tcp", "-i", e.host, "-p", String.valueOf(e.sockperfPort), "-t", "1", "--full-rtt");
	}

	static List<String> iperfArgs(Endpoint e, String bytes) {
		return List.of("iperf3", "-c", e.host, "-p", String.valueOf(e.iperfPort), "-n", bytes, "-J");
	}

	/** Both servers in one container: sockperf in the background, iperf3 in front. */
	static String serve(String bindIp, int sockperfPort, int iperfPort) {
		String bind = bindIp == null ? "" : " -i " + bindIp;
		String iperfBind = bindIp == null ? "" : " -B " + bindIp;
		return "sockperf sr --tcp" + bind + " -p " + sockperfPort + " & exec iperf3 -s" + iperfBind + " -p " + iperfPort;
	}

	private Endpoint start(String path, Placement placement) {
		ProbeOutputException last = null;
		// ports in a shared namespace may be taken: a few tries with fresh random ones
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				return startOnce(path, placement);
			}
			catch (PortTaken e) {
				last = e;
			}
		}
		throw last;
	}

	private Endpoint startOnce(String path, Placement placement) {
		String role = "srv-" + path + "-" + placement.shortName();
		int sp = randomPort();
		int ip = sp + 1;
		List<String> setup = new ArrayList<>();
		setup.add(clientLine);
		DockerRun spec;
		switch (path) {
			case ProbePaths.LOOPBACK -> spec = sandbox.container(role, "sh", "-c", serve("127.0.0.1", sp, ip))
				.network("host").securityOpt("seccomp=unconfined");
			case ProbePaths.HOST_NET -> spec = sandbox.container(role, "sh", "-c", serve("127.0.0.1", sp, ip))
				.network(target == null ? "host" : "container:" + target.name());
			case ProbePaths.BRIDGE_IP -> {
				if (target == null) {
					sp = SOCKPERF_PORT;
					ip = IPERF_PORT;
					spec = sandbox.container(role, "sh", "-c", serve(null, sp, ip));
				}
				else {
					spec = sandbox.container(role, "sh", "-c", serve(null, sp, ip)).network("container:" + target.name());
				}
			}
			case ProbePaths.PUBLISHED_PROXY, ProbePaths.PUBLISHED_DNAT -> {
				sp = SOCKPERF_PORT;
				ip = IPERF_PORT;
				String hostIp = path.equals(ProbePaths.PUBLISHED_PROXY) ? "127.0.0.1" : gateway();
				spec = sandbox.container(role, "sh", "-c", serve(null, sp, ip)).publish(hostIp, sp).publish(hostIp, ip);
				if (target != null && target.network() != null) {
					spec = spec.network(target.network());
				}
			}
			default -> throw new IllegalArgumentException("unknown network path " + path);
		}
		spec = spec.cpus(placement.serverCpu);
		ProbeSandbox.Started server = sandbox.run(spec);
		setup.add(0, server.commandLine());
		if (!listening(server.name(), sp, ip)) {
			sandbox.remove(server.id());
			if (path.equals(ProbePaths.LOOPBACK) || path.equals(ProbePaths.HOST_NET) || target != null) {
				throw new PortTaken(path + " server could not listen on ports " + sp + "/" + ip);
			}
			throw new ProbeOutputException(path + " server did not start listening");
		}
		String host = switch (path) {
			case ProbePaths.LOOPBACK, ProbePaths.HOST_NET -> "127.0.0.1";
			case ProbePaths.BRIDGE_IP -> target == null ? server.ip() : target.ip();
			case ProbePaths.PUBLISHED_PROXY -> "127.0.0.1";
			default -> gateway();
		};
		if (path.startsWith("published-")) {
			Integer hsp = server.hostPorts().get(sp);
			Integer hip = server.hostPorts().get(ip);
			if (hsp == null || hip == null) {
				throw new ProbeOutputException("the engine published no host port for " + server.name());
			}
			sp = hsp;
			ip = hip;
		}
		if (path.equals(ProbePaths.PUBLISHED_PROXY)) {
			setup.addAll(pinProxies(sp, ip));
		}
		return new Endpoint(path, placement, host, sp, ip, setup);
	}

	/** A bind failure in a shared network namespace: try other ports. */
	static final class PortTaken extends ProbeOutputException {
		PortTaken(String message) {
			super(message);
		}
	}

	private static int randomPort() {
		return 20000 + 2 * ThreadLocalRandom.current().nextInt(5000);
	}

	/** Waits until both servers listen, as {@code ss} in the server's own namespace shows. */
	private boolean listening(String container, int sockperfPort, int iperfPort) {
		for (int i = 0; i < 30; i++) {
			ExecResult ss;
			try {
				ss = sandbox.exec(container, Duration.ofSeconds(5), List.of("ss", "-Hltn"));
			}
			catch (RuntimeException stopped) {
				return false;
			}
			String text = ss.stdout();
			if (text.contains(":" + sockperfPort + " ") && text.contains(":" + iperfPort + " ")) {
				return true;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return false;
	}

	private String gateway;

	/**
	 * The default bridge's gateway: an address of this machine (docker0). The engine does not
	 * always list it in the network's IPAM config, so we ask a container on the bridge.
	 */
	private String gateway() {
		if (target != null && target.gateway() != null) {
			return target.gateway();
		}
		if (gateway != null) {
			return gateway;
		}
		gateway = sandbox.engine().bridgeGateway();
		if (gateway == null) {
			ProbeSandbox.Started probe = sandbox.run(sandbox.container("gateway", "sleep", "60"));
			gateway = sandbox.inspect(probe.id()).gateway();
			sandbox.remove(probe.id());
		}
		if (gateway == null) {
			throw new ProbeOutputException("the bridge network has no gateway address");
		}
		return gateway;
	}

	/** The docker-proxy pids serving these host ports, from {@code pgrep -a -x docker-proxy}. */
	static Map<Integer, String> proxyPids(String pgrepOutput, int... hostPorts) {
		Map<Integer, String> pids = new LinkedHashMap<>();
		for (String line : pgrepOutput.lines().toList()) {
			Matcher m = PROXY_LINE.matcher(line + " ");
			if (m.find()) {
				int port = Integer.parseInt(m.group(2));
				for (int wanted : hostPorts) {
					if (port == wanted) {
						pids.put(port, m.group(1));
					}
				}
			}
		}
		return pids;
	}

	static String userlandProxyOff(int hostPort) {
		return "the engine's userland proxy is off: no docker-proxy serves 127.0.0.1:" + hostPort
				+ ", so loopback traffic to a published port is DNATed, not proxied";
	}

	/**
	 * Finds the docker-proxy processes serving our two host ports and pins them to the client's
	 * CPU, so the placement holds for the whole path. None means the userland proxy is off.
	 */
	private List<String> pinProxies(int sockperfHostPort, int iperfHostPort) {
		if (helper == null) {
			helper = sandbox.run(sandbox.container("helper", "sleep", "infinity").pid("host").capAdd("SYS_NICE"));
		}
		List<String> lines = new ArrayList<>(List.of(helper.commandLine()));
		List<String> list = List.of("pgrep", "-a", "-x", "docker-proxy");
		ExecResult procs = sandbox.exec(helper.name(), Duration.ofSeconds(10), list);
		lines.add(ProbeSandbox.execLine(helper.name(), list));
		Map<Integer, String> pids = proxyPids(procs.stdout(), sockperfHostPort, iperfHostPort);
		if (!pids.containsKey(sockperfHostPort)) {
			throw new ProbeOutputException(userlandProxyOff(sockperfHostPort));
		}
		for (String pid : pids.values()) {
			List<String> pin = List.of("taskset", "-a", "-p", "-c", CLIENT_CPU, pid);
			ExecResult r = sandbox.exec(helper.name(), Duration.ofSeconds(10), pin);
			if (!r.ok()) {
				throw new ProbeOutputException("could not pin docker-proxy " + pid + " to CPU " + CLIENT_CPU + ": "
						+ r.firstErrorLine());
			}
			lines.add(ProbeSandbox.execLine(helper.name(), pin));
		}
		return lines;
	}
}
