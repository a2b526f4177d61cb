package io.virtwise.shell.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.virtwise.docker.inspect.DockerFactsMapper;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.EngineFacts;
import io.virtwise.facts.MountInfo;
import io.virtwise.facts.PortBinding;

/** Shows the engine and its containers; unknown values read "unknown", never 0. */
public final class DockerView {

	private static final String UNKNOWN = "unknown";
	private static final String NONE = "-";

	private final Styler styler;

	public DockerView(Styler styler) {
		this.styler = styler;
	}

	public String engine(EngineFacts engine, String host) {
		StringBuilder out = new StringBuilder(styler.bold("Docker engine at " + host)).append('\n');
		line(out, "version", orUnknown(engine.version()) + " (API " + orUnknown(engine.apiVersion()) + ")");
		line(out, "storage", orUnknown(engine.storageDriver()) + " on " + orUnknown(engine.backingFilesystem()));
		line(out, "cgroup", "v" + orUnknown(engine.cgroupVersion()) + ", " + orUnknown(engine.cgroupDriver()) + " driver");
		line(out, "userland proxy", engine.userlandProxy() == null ? UNKNOWN
				: engine.userlandProxy() ? styler.yellow("on") + " (published ports go through docker-proxy)"
				: "off (published ports use iptables DNAT)");
		line(out, "iptables", onOff(engine.iptables()));
		line(out, "logging driver", orUnknown(engine.loggingDriver()));
		line(out, "default runtime", orUnknown(engine.defaultRuntime()));
		line(out, "root dir", orUnknown(engine.rootDir()));
		line(out, "containers running", orUnknown(engine.containersRunning()));
		return out.toString().stripTrailing();
	}

	public String list(List<ContainerFacts> containers) {
		if (containers.isEmpty()) {
			return "No containers.";
		}
		List<List<String>> rows = new ArrayList<>();
		rows.add(List.of("NAME", "STATE", "NETWORK", "PORTS", "MOUNTS", "WRITABLE", "CPUSET", "LIMITS"));
		for (ContainerFacts c : containers) {
			rows.add(List.of(orUnknown(c.name()), orUnknown(c.state()), orUnknown(c.networkMode()), ports(c.ports()),
					mounts(c.mounts()), bytes(c.writableLayerBytes()), cpuset(c.cpusetCpus()), limits(c)));
		}
		int[] widths = new int[rows.get(0).size()];
		rows.forEach(row -> {
			for (int i = 0; i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		});
		StringBuilder out = new StringBuilder();
		for (int r = 0; r < rows.size(); r++) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < widths.length; i++) {
				String cell = rows.get(r).get(i);
				line.append(i == widths.length - 1 ? cell : String.format("%-" + widths[i] + "s  ", cell));
			}
			String text = line.toString().stripTrailing();
			out.append(r == 0 ? styler.bold(text) : text).append('\n');
		}
		out.append(containers.size()).append(containers.size() == 1 ? " container." : " containers.");
		return out.toString();
	}

	public String show(ContainerFacts c) {
		StringBuilder out = new StringBuilder(styler.bold("Container " + orUnknown(c.name()))).append('\n');
		line(out, "id", orUnknown(c.id()));
		line(out, "image", orUnknown(c.image()));
		line(out, "state", orUnknown(c.state()));
		line(out, "network", orUnknown(c.networkMode()) + (c.ipAddress() == null ? "" : ", " + c.ipAddress()));
		if (c.ports() == null || c.ports().isEmpty()) {
			line(out, "ports", c.ports() == null ? UNKNOWN : "none published");
		}
		else {
			c.ports().forEach(p -> line(out, "port", port(p)));
		}
		if (c.mounts() == null || c.mounts().isEmpty()) {
			line(out, "mounts", c.mounts() == null ? UNKNOWN : "none (everything in the writable layer)");
		}
		else {
			c.mounts().forEach(m -> line(out, "mount " + orUnknown(m.type()), mount(m)));
		}
		line(out, "writable layer", bytes(c.writableLayerBytes()));
		line(out, "cpuset", c.cpusetCpus() == null ? UNKNOWN : c.cpusetCpus().isEmpty() ? "all CPUs (not pinned)"
				: String.join(",", c.cpusetCpus()));
		line(out, "cpu limit", c.cpuLimit() == null ? "none" : trim(c.cpuLimit()) + " CPUs");
		line(out, "memory limit", c.memoryLimitBytes() == null ? "none" : bytes(c.memoryLimitBytes()));
		line(out, "privileged", c.privileged() == null ? UNKNOWN : c.privileged() ? styler.yellow("yes") : "no");
		line(out, "seccomp", orUnknown(c.seccompProfile()));
		line(out, "restart policy", orUnknown(c.restartPolicy()));
		line(out, "env (names only)", c.envNames() == null ? UNKNOWN : c.envNames().isEmpty() ? NONE
				: String.join(" ", c.envNames()));
		if (c.labels() != null && !c.labels().isEmpty()) {
			c.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
				.forEach(e -> line(out, "label", e.getKey() + "=" + e.getValue()));
		}
		out.append('\n').append("  run line (environment values redacted):\n    ")
			.append(styler.green(orUnknown(c.runCommand())));
		return out.toString();
	}

	private static String ports(List<PortBinding> ports) {
		if (ports == null) {
			return UNKNOWN;
		}
		List<String> published = ports.stream().filter(p -> p.hostPort() != null || p.path() != null)
			.map(DockerView::port)
			.toList();
		return published.isEmpty() ? NONE : String.join(", ", published);
	}

	static String port(PortBinding p) {
		String target = orUnknown(p.containerPort()) + "/" + orUnknown(p.protocol());
		if (p.hostPort() == null && p.path() == null) {
			return target + " (exposed, not published)";
		}
		String host = (p.hostIp() == null ? "" : p.hostIp().contains(":") ? "[" + p.hostIp() + "]:" : p.hostIp() + ":")
				+ orUnknown(p.hostPort());
		return host + "->" + target + " via " + path(p);
	}

	/**
	 * With the userland proxy on, docker-proxy serves connections to loopback and iptables DNATs the
	 * others (from other machines, and from this one to its own non-loopback addresses): a port
	 * published on every address takes both, one on 127.0.0.1 only the proxy, one on a specific
	 * other address DNAT (and the proxy for containers on its bridge, as hairpin NAT is off then).
	 * IPv6 goes through the proxy unless dockerd runs with ip6tables, which 20.10 does not by default.
	 */
	static String path(PortBinding p) {
		if (p.path() == null) {
			return "unknown path";
		}
		if (p.path().equals(DockerFactsMapper.PATH_DNAT)) {
			return "DNAT";
		}
		if (p.onLoopback()) {
			return p.path();
		}
		if ("::".equals(p.hostIp())) {
			return "docker-proxy (IPv6: dockerd NATs it only with ip6tables enabled)";
		}
		return p.onEveryAddress() ? "docker-proxy from loopback, DNAT from elsewhere" : "DNAT (docker-proxy from containers on its bridge)";
	}

	private static String mounts(List<MountInfo> mounts) {
		if (mounts == null) {
			return UNKNOWN;
		}
		return mounts.isEmpty() ? NONE
				: mounts.stream().map(m -> orUnknown(m.type()) + ":" + orUnknown(m.destination())
						+ (Boolean.TRUE.equals(m.readOnly()) ? ":ro" : ""))
					.collect(Collectors.joining(" "));
	}

	private static String mount(MountInfo m) {
		String from = m.name() != null ? m.name() : m.source();
		return (from == null ? "" : from + " -> ") + orUnknown(m.destination())
				+ (Boolean.TRUE.equals(m.readOnly()) ? " (read-only)" : "");
	}

	private static String cpuset(List<String> cpus) {
		return cpus == null ? UNKNOWN : cpus.isEmpty() ? NONE : String.join(",", cpus);
	}

	private static String limits(ContainerFacts c) {
		List<String> parts = new ArrayList<>();
		if (c.cpuLimit() != null) {
			parts.add("cpu " + trim(c.cpuLimit()));
		}
		if (c.memoryLimitBytes() != null) {
			parts.add("mem " + bytes(c.memoryLimitBytes()));
		}
		return parts.isEmpty() ? NONE : String.join(", ", parts);
	}

	static String bytes(Long bytes) {
		if (bytes == null) {
			return UNKNOWN;
		}
		String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
		double value = bytes;
		int unit = 0;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return unit == 0 ? bytes + " B"
				: value == Math.rint(value) ? (long) value + " " + units[unit]
				: String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
	}

	private static String trim(double value) {
		return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
	}

	private static String onOff(Boolean value) {
		return value == null ? UNKNOWN : value ? "on" : "off";
	}

	private static void line(StringBuilder out, String label, String value) {
		out.append(String.format("  %-22s %s%n", label, value));
	}

	private static String orUnknown(Object value) {
		return value == null ? UNKNOWN : value.toString();
	}
}
