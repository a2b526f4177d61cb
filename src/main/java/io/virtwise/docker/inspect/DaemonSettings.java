package io.virtwise.docker.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.InputFiles;

/**
 * Engine settings that {@code docker info} does not report: whether dockerd runs the userland
 * proxy and manages iptables. Read from the running dockerd's command line (flags win) and its
 * daemon.json; when dockerd is found but says nothing, Docker's defaults apply (both on). When
 * no dockerd is visible (a remote engine, another PID namespace) both are unknown.
 */
public record DaemonSettings(Boolean userlandProxy, Boolean iptables) {

	public static final DaemonSettings UNKNOWN = new DaemonSettings(null, null);

	static final Path DEFAULT_CONFIG = Path.of("/etc/docker/daemon.json");
	private static final String DEFAULT_SOCKET = "/var/run/docker.sock";

	/** For the engine at this address: only a local socket's dockerd can be looked at. */
	public static DaemonSettings live(String host) {
		if (host == null || !host.startsWith("unix://")) {
			return UNKNOWN;
		}
		return read(Path.of("/proc"), DEFAULT_CONFIG, URI.create(host).getPath());
	}

	/**
	 * @param proc where procfs is (a captured tree in tests)
	 * @param defaultConfig daemon.json when dockerd names no --config-file
	 * @param socket the engine's socket path, to pick the right dockerd when several run
	 */
	public static DaemonSettings read(Path proc, Path defaultConfig, String socket) {
		List<List<String>> dockerds = new ArrayList<>();
		boolean proxyRunning = false;
		try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
			for (Path pid : pids) {
				List<String> argv = cmdline(pid);
				if (argv.isEmpty()) {
					continue;
				}
				String program = Path.of(argv.get(0)).getFileName().toString();
				if (program.equals("dockerd")) {
					dockerds.add(argv);
				}
				else if (program.equals("docker-proxy")) {
					proxyRunning = true;
				}
			}
		}
		catch (IOException | RuntimeException e) {
			return UNKNOWN;
		}
		List<String> args = pick(dockerds, socket);
		if (args == null) {
			// A docker-proxy process proves the proxy is on even when dockerd itself is not visible.
			return new DaemonSettings(proxyRunning ? Boolean.TRUE : null, null);
		}
		String configFlag = flagValue(args, "--config-file");
		JsonNode config = readConfig(configFlag == null ? defaultConfig : Path.of(configFlag));
		return new DaemonSettings(setting(args, config, "userland-proxy"), setting(args, config, "iptables"));
	}

	/** The flag if given, else daemon.json, else Docker's default (on); unknown if daemon.json is unreadable. */
	private static Boolean setting(List<String> args, JsonNode config, String name) {
		String flag = "--" + name;
		for (String arg : args) {
			if (arg.equals(flag)) {
				return true;
			}
			if (arg.startsWith(flag + "=")) {
				Boolean value = goBool(arg.substring(flag.length() + 1));
				if (value != null) {
					return value;
				}
			}
		}
		if (config == null) {
			// daemon.json is there but unreadable: it may well say otherwise.
			return null;
		}
		return config.path(name).isBoolean() ? config.path(name).asBoolean() : true;
	}

	/** Go's strconv.ParseBool, which dockerd's flag parser uses. */
	private static Boolean goBool(String text) {
		return switch (text) {
			case "1", "t", "T", "true", "TRUE", "True" -> true;
			case "0", "f", "F", "false", "FALSE", "False" -> false;
			default -> null;
		};
	}

	/**
	 * The dockerd serving this socket: the one naming it with -H, else, for the default socket,
	 * the only one naming no socket (or systemd's fd://). Anything else is unknown.
	 */
	private static List<String> pick(List<List<String>> dockerds, String socket) {
		List<List<String>> onDefault = new ArrayList<>();
		for (List<String> args : dockerds) {
			List<String> hosts = flagValues(args, "-H", "--host");
			if (hosts.stream().anyMatch(h -> h.equals("unix://" + socket) || h.equals(socket))) {
				return args;
			}
			if (hosts.isEmpty() || hosts.stream().anyMatch(h -> h.startsWith("fd://"))) {
				onDefault.add(args);
			}
		}
		return DEFAULT_SOCKET.equals(socket) && onDefault.size() == 1 ? onDefault.get(0) : null;
	}

	private static String flagValue(List<String> args, String flag) {
		List<String> values = flagValues(args, flag);
		return values.isEmpty() ? null : values.get(values.size() - 1);
	}

	private static List<String> flagValues(List<String> args, String... flags) {
		List<String> values = new ArrayList<>();
		for (int i = 1; i < args.size(); i++) {
			String arg = args.get(i);
			for (String flag : flags) {
				if (arg.equals(flag) && i + 1 < args.size()) {
					values.add(args.get(i + 1));
				}
				else if (arg.startsWith(flag + "=")) {
					values.add(arg.substring(flag.length() + 1));
				}
			}
		}
		return values;
	}

	private static List<String> cmdline(Path pid) {
		try {
			String raw = new String(Files.readAllBytes(pid.resolve("cmdline")), StandardCharsets.UTF_8);
			if (raw.isEmpty()) {
				return List.of();
			}
			// NUL-separated, usually with a trailing NUL.
			return Arrays.asList(raw.split("\0"));
		}
		catch (IOException | RuntimeException e) {
			return List.of();
		}
	}

	/** The config as JSON; an empty object when there is none; null when it cannot be read. */
	private static JsonNode readConfig(Path file) {
		if (!Files.exists(file)) {
			return FactsJson.MAPPER.createObjectNode();
		}
		// bounded like a user's file: the path comes from dockerd's command line and may be a FIFO
		try (InputStream in = InputFiles.open(file, "daemon config")) {
			JsonNode tree = FactsJson.readTree(in);
			return tree == null || !tree.isObject() ? null : tree;
		}
		catch (IOException | RuntimeException e) {
			return null;
		}
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "userland-proxy=%s iptables=%s", userlandProxy, iptables);
	}
}
