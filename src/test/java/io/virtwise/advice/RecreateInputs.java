package io.virtwise.advice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virtwise.docker.inspect.DockerFactsMapper;
import io.virtwise.docker.inspect.EngineContext;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import io.virtwise.facts.FactsJson;

/**
 * Containers to re-create: every container in the test resources (docker inspect files and facts
 * files), and generated docker inspect JSON in the shapes the engine writes, with every kind of
 * mount (the image's VOLUMEs, anonymous ones by -v and --mount, named volumes, binds read-only and
 * read-write with options, both kinds of tmpfs, --volumes-from) and the things that make a faithful
 * re-create impossible, each flagged so a test knows to expect a refusal.
 */
public final class RecreateInputs {

	/** One container, the others on its engine, and why it must be refused (null when it need not be). */
	public record Case(String origin, ContainerFacts container, List<ContainerFacts> all, String mustRefuse) {
	}

	static final Path RESOURCES = Path.of("src/test/resources");

	private RecreateInputs() {
	}

	// --- the corpus: whatever the test resources hold ---

	public static List<Case> corpus() {
		List<Path> files;
		try (Stream<Path> walk = Files.walk(RESOURCES)) {
			files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		Map<String, JsonNode> images = new HashMap<>();
		List<Path> inspects = new ArrayList<>();
		List<Path> factsFiles = new ArrayList<>();
		for (Path file : files) {
			JsonNode tree = read(file);
			if (tree == null) {
				continue;
			}
			if (tree.isArray()) {
				for (JsonNode element : tree) {
					if (element.has("HostConfig") && element.has("Config")) {
						inspects.add(file);
						break;
					}
					if (element.has("RootFS") && element.has("Config")) {
						images.put(element.path("Id").asText(), element.path("Config"));
					}
				}
			}
			else if (tree.isObject() && tree.path("containers").isArray()) {
				factsFiles.add(file);
			}
		}
		List<Case> cases = new ArrayList<>();
		for (Path file : inspects) {
			JsonNode tree = read(file);
			Map<String, String> names = new HashMap<>();
			for (JsonNode c : tree) {
				names.put(c.path("Id").asText(), c.path("Name").asText().replaceFirst("^/", ""));
			}
			EngineContext engine = new EngineContext(true, true, "json-file", "runc", names);
			List<ContainerFacts> all = new ArrayList<>();
			for (JsonNode c : tree) {
				if (c.has("HostConfig")) {
					all.add(DockerFactsMapper.container(c, engine, images.get(c.path("Image").asText())));
				}
			}
			all.forEach(c -> cases.add(new Case(RESOURCES.relativize(file) + ": " + c.name(), c, all, null)));
		}
		for (Path file : factsFiles) {
			Facts facts;
			try {
				facts = FactsJson.read(file);
			}
			catch (FactsFileException | RuntimeException e) {
				continue;
			}
			facts.containers().forEach(c -> cases.add(new Case(RESOURCES.relativize(file) + ": " + c.name(), c, facts.containers(), null)));
		}
		return cases;
	}

	private static JsonNode read(Path file) {
		try {
			return FactsJson.MAPPER.readTree(file.toFile());
		}
		catch (IOException e) {
			return null;
		}
	}

	// --- generated ---

	public static List<Case> generated(long seed, int count) {
		Random r = new Random(seed);
		List<Case> cases = new ArrayList<>();
		for (int n = 0; n < count; n++) {
			Generated g = generate(r, n);
			Map<String, String> names = Map.of(g.inspect.path("Id").asText(), "gen" + n);
			ContainerFacts c = DockerFactsMapper.container(g.inspect, new EngineContext(true, true, "json-file", "runc", names),
					g.imageConfig);
			cases.add(new Case("generated #" + n + " (seed " + seed + ")", c, List.of(c), g.mustRefuse));
		}
		return cases;
	}

	record Generated(ObjectNode inspect, ObjectNode imageConfig, String mustRefuse) {
	}

	private static final List<String> PATHS = List.of("/var/lib/db", "/data", "/var/lib/postgresql/data", "/srv/in", "/srv/out",
			"/etc/app", "/var/log/app", "/cache", "/run/secrets", "/scratch", "/var/lib/redis", "/home/app/.cache", "/opt/app/conf",
			"/uploads", "/var/spool/mail", "/tmp/work", "/backup");
	private static final List<String> IMAGES = List.of("postgres:16", "redis:7.2", "registry.example.com:5000/team/app:1.4",
			"mariadb:11", "nginx", "ghcr.io/acme/worker:2024.06.1");

	static Generated generate(Random r, int n) {
		ObjectNode in = FactsJson.MAPPER.createObjectNode();
		String id = hex(r, 64);
		in.put("Id", id);
		in.put("Name", "/gen" + n);
		in.put("Image", "sha256:" + hex(r, 64));
		ObjectNode config = in.putObject("Config");
		ObjectNode host = in.putObject("HostConfig");
		ArrayNode mounts = in.putArray("Mounts");
		in.putObject("State").put("Status", "running").put("Running", true);
		String image = IMAGES.get(r.nextInt(IMAGES.size()));
		config.put("Image", image);
		config.put("Hostname", r.nextInt(5) == 0 ? "box" + n : id.substring(0, 12));
		config.put("AttachStdout", false).put("AttachStderr", false).put("Tty", r.nextBoolean()).put("OpenStdin", r.nextBoolean());
		List<String> why = new ArrayList<>();

		// the image, known or not (then the line spells out everything the image gave)
		ObjectNode imageConfig = r.nextInt(4) == 0 ? null : FactsJson.MAPPER.createObjectNode();
		ArrayNode env = config.putArray("Env");
		env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
		ObjectNode labels = config.putObject("Labels");
		labels.put("org.opencontainers.image.version", "1.4");
		ArrayNode cmd = config.putArray("Cmd");
		cmd.add("serve");
		if (imageConfig != null) {
			imageConfig.putArray("Env").add(env.get(0).asText());
			imageConfig.putObject("Labels").put("org.opencontainers.image.version", "1.4");
			imageConfig.putArray("Cmd").add("serve");
			imageConfig.putObject("Volumes");
		}
		ObjectNode volumes = config.putObject("Volumes");
		List<String> free = new ArrayList<>(PATHS);
		java.util.Collections.shuffle(free, r);

		int kinds = 1 + r.nextInt(6);
		for (int k = 0; k < kinds && !free.isEmpty(); k++) {
			String dest = free.remove(0);
			boolean ro = r.nextInt(3) == 0;
			String volumeName = hex(r, 64);
			switch (r.nextInt(9)) {
				case 0 -> { // the image's VOLUME: Config.Volumes and the image's, an anonymous volume
					volumes.putObject(dest);
					if (imageConfig != null) {
						((ObjectNode) imageConfig.get("Volumes")).putObject(dest);
					}
					mount(mounts, "volume", volumeName, "/var/lib/docker/volumes/" + volumeName + "/_data", dest, false, "");
				}
				case 1 -> { // -v /path
					volumes.putObject(dest);
					mount(mounts, "volume", volumeName, "/var/lib/docker/volumes/" + volumeName + "/_data", dest, false, "");
				}
				case 2 -> { // --mount type=volume,target=/path: anonymous too
					host.withArray("Mounts").addObject().put("Type", "volume").put("Target", dest).put("ReadOnly", ro);
					mount(mounts, "volume", volumeName, "/var/lib/docker/volumes/" + volumeName + "/_data", dest, ro, "");
				}
				case 3 -> { // -v name:/path[:ro]
					String name = "gen" + n + "-vol" + k;
					host.withArray("Binds").add(name + ":" + dest + (ro ? ":ro" : ""));
					mount(mounts, "volume", name, "/var/lib/docker/volumes/" + name + "/_data", dest, ro, "z");
				}
				case 4 -> { // --mount source=name
					String name = "gen" + n + "-m" + k;
					ObjectNode m = host.withArray("Mounts").addObject().put("Type", "volume").put("Source", name).put("Target", dest)
						.put("ReadOnly", ro);
					if (r.nextBoolean()) {
						m.putObject("VolumeOptions").put("NoCopy", true);
					}
					mount(mounts, "volume", name, "/var/lib/docker/volumes/" + name + "/_data", dest, ro, "z");
				}
				case 5 -> { // -v /host:/path[:ro,z]
					String source = "/srv/host data/" + n + "/" + k;
					String opts = ro ? (r.nextBoolean() ? ":ro,z" : ":ro") : (r.nextBoolean() ? ":rw,Z" : "");
					host.withArray("Binds").add(source + ":" + dest + opts);
					mount(mounts, "bind", null, source, dest, ro, opts.isEmpty() ? "" : opts.substring(1));
				}
				case 6 -> { // --mount type=bind with propagation
					String source = "/mnt/share" + k;
					host.withArray("Mounts").addObject().put("Type", "bind").put("Source", source).put("Target", dest).put("ReadOnly", ro)
						.putObject("BindOptions").put("Propagation", "rslave");
					mount(mounts, "bind", null, source, dest, ro, "");
				}
				case 7 -> // --tmpfs /path:opts, which only HostConfig.Tmpfs records
					host.with("Tmpfs").put(dest, ro ? "ro,size=64m" : "size=64m,mode=1777");
				default -> { // --mount type=tmpfs
					host.withArray("Mounts").addObject().put("Type", "tmpfs").put("Target", dest).put("ReadOnly", false)
						.putObject("TmpfsOptions").put("SizeBytes", 67108864);
					mount(mounts, "tmpfs", null, "", dest, false, "");
				}
			}
		}
		if (r.nextInt(8) == 0 && !free.isEmpty()) { // --volumes-from: the other container's volume, nothing in Binds
			host.putArray("VolumesFrom").add("datastore");
			String v = hex(r, 64);
			mount(mounts, "volume", v, "/var/lib/docker/volumes/" + v + "/_data", free.remove(0), false, "");
		}

		// environment and labels, values of every shape a file line can hold
		String[] values = { "plain", "with spaces  ", "a=b=c", "#not a comment", "'quoted' \"too\"", "$HOME and `x`", "", "ünïcode" };
		for (int i = 0; i < 1 + r.nextInt(4); i++) {
			env.add(List.of("DB_PASSWORD", "MODE", "API_TOKEN", "URL", "EMPTY").get(r.nextInt(5)) + i + "="
					+ values[r.nextInt(values.length)]);
		}
		if (r.nextInt(12) == 0) {
			env.add("CERT=-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
			why.add("a line break in the environment");
		}
		labels.put("team", "perf").put("api.token", "tok-" + hex(r, 8));
		if (r.nextInt(15) == 0) {
			labels.put("com.docker.compose.project", "shop").put("com.docker.compose.service", "db");
			why.add("compose");
		}

		// network, ports, limits, restart
		String network = List.of("default", "bridge", "appnet", "host").get(r.nextInt(4));
		host.put("NetworkMode", network);
		ObjectNode networks = in.putObject("NetworkSettings").putObject("Networks");
		if (!network.equals("host")) {
			ObjectNode endpoint = networks.putObject(network.equals("default") ? "bridge" : network);
			endpoint.put("IPAddress", "172.18.0." + (2 + n % 200));
			if (network.equals("appnet")) {
				endpoint.putArray("Aliases").add(id.substring(0, 12)).add("db");
				if (r.nextBoolean()) {
					endpoint.putObject("IPAMConfig").put("IPv4Address", "172.18.5." + (2 + n % 200));
				}
			}
			if (r.nextInt(4) == 0) {
				networks.putObject("backend").putArray("Aliases").add("db-backend");
			}
			if (r.nextBoolean()) {
				host.putObject("PortBindings").putArray("5432/tcp").addObject().put("HostIp", r.nextBoolean() ? "127.0.0.1" : "")
					.put("HostPort", Integer.toString(15432 + n));
			}
		}
		host.putObject("RestartPolicy").put("Name", List.of("no", "always", "unless-stopped", "on-failure").get(r.nextInt(4)))
			.put("MaximumRetryCount", 3);
		if (r.nextBoolean()) {
			host.put("NanoCpus", 1_500_000_000L).put("Memory", 512L << 20).put("CpusetCpus", "1-2");
		}
		ObjectNode log = host.putObject("LogConfig").put("Type", "json-file");
		log.putObject("Config").put("max-size", "10m");
		if (r.nextInt(15) == 0) {
			host.put("AutoRemove", true);
			why.add("--rm");
		}
		if (r.nextInt(15) == 0) {
			log.put("Type", "splunk").with("Config").put("splunk-token", "00000000-1111");
			why.add("a secret log option");
		}
		if (r.nextInt(15) == 0) {
			cmd.removeAll();
			cmd.add("serve").add("--password=hunter2");
			why.add("a secret on the command line");
		}
		if (r.nextInt(15) == 0) {
			host.putArray("DeviceRequests").addObject().put("Driver", "nvidia").put("Count", -1);
			why.add("gpus");
		}
		if (r.nextInt(15) == 0) {
			config.putObject("Healthcheck").putArray("Test").add("CMD").add("/bin/check").add("--fast");
			why.add("an exec-form health check");
		}
		return new Generated(in, imageConfig, why.isEmpty() ? null : String.join(", ", why));
	}

	private static void mount(ArrayNode mounts, String type, String name, String source, String dest, boolean ro, String mode) {
		ObjectNode m = mounts.addObject().put("Type", type);
		if (name != null) {
			m.put("Name", name).put("Driver", "local");
		}
		m.put("Source", source).put("Destination", dest).put("Mode", mode).put("RW", !ro).put("Propagation", "");
	}

	private static String hex(Random r, int length) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < length; i++) {
			out.append(Integer.toHexString(r.nextInt(16)));
		}
		return out.toString().toLowerCase(Locale.ROOT);
	}

	/** Destinations of a container's mounts, for choosing a directory that is not one. */
	static Set<String> destinations(ContainerFacts c) {
		Set<String> out = new LinkedHashSet<>();
		if (c.mounts() != null) {
			c.mounts().forEach(m -> out.add(m.destination()));
		}
		return out;
	}
}
