package io.virtwise.docker.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.EngineFacts;
import io.virtwise.host.CgroupCpuReader;
import io.virtwise.host.HostRoots;

/**
 * Asks a Docker engine for its facts: the engine itself and every container, running or not.
 * Each container is inspected with its size, so the writable layer is known. Throws
 * {@link DockerUnavailableException} when the engine stops answering.
 */
public final class DockerInspector {

	/** The engine and its containers, read in one pass. */
	public record Snapshot(EngineFacts engine, List<ContainerFacts> containers) {

		public Snapshot {
			containers = List.copyOf(containers);
		}
	}

	private final EngineApi api;
	private final Supplier<DaemonSettings> daemon;
	private final LocalHost local;
	private final CgroupCpuReader cgroups;

	/**
	 * For the engine at this address; the local dockerd's settings, the filesystem under its root and
	 * what its containers write now are read when it is a local socket.
	 */
	public DockerInspector(DockerClient client, String host) {
		this(client, () -> DaemonSettings.live(DockerConnector.resolveHost(host)),
				LocalHost.forEngine(DockerConnector.resolveHost(host)), localCgroups(host));
	}

	public DockerInspector(DockerClient client, Supplier<DaemonSettings> daemon) {
		this(client, daemon, null, null);
	}

	public DockerInspector(DockerClient client, Supplier<DaemonSettings> daemon, LocalHost local) {
		this(client, daemon, local, null);
	}

	public DockerInspector(DockerClient client, Supplier<DaemonSettings> daemon, CgroupCpuReader cgroups) {
		this(client, daemon, null, cgroups);
	}

	/**
	 * @param local the engine's own host, or null when it is not this one
	 * @param cgroups where the containers' cgroups are read (a captured tree in tests); null for a remote engine
	 */
	public DockerInspector(DockerClient client, Supplier<DaemonSettings> daemon, LocalHost local, CgroupCpuReader cgroups) {
		this.api = new EngineApi(client);
		this.daemon = daemon;
		this.local = local;
		this.cgroups = cgroups;
	}

	/** Only an engine on a unix socket runs its containers on this machine's kernel. */
	private static CgroupCpuReader localCgroups(String host) {
		String resolved = DockerConnector.resolveHost(host);
		return resolved != null && resolved.startsWith("unix://") ? new CgroupCpuReader(HostRoots.live()) : null;
	}

	public EngineFacts engine() {
		return onThisHost(DockerFactsMapper.engine(api.info(), api.version(), daemon.get()));
	}

	private EngineFacts onThisHost(EngineFacts engine) {
		return local == null ? engine : engine.withRootFilesystem(local.filesystemOf(engine.rootDir(), engine.storageDriver()));
	}

	public List<ContainerFacts> containers() {
		return inspect().containers();
	}

	/** The label every probe container carries (the probe package's RunId.LABEL). */
	static final String PROBE_LABEL = "io.virtwise.probe";

	public Snapshot inspect() {
		JsonNode info = api.info();
		DaemonSettings settings = daemon.get();
		EngineFacts engine = onThisHost(DockerFactsMapper.engine(info, api.version(), settings));
		JsonNode listing = api.containers();
		EngineContext context = EngineContext.of(info, settings.userlandProxy()).withContainerNames(names(listing));
		Map<String, JsonNode> images = new HashMap<>();
		List<ContainerFacts> containers = new ArrayList<>();
		// the window over what running containers write runs while they are inspected, not after
		ContainerWrites.Window writes = startWrites(listing);
		for (JsonNode listed : listing) {
			// virtwise's own probe containers come and go during a probe: they are not the user's
			if (listed.path("Labels").has(PROBE_LABEL)) {
				continue;
			}
			ContainerFacts facts = inspectOne(listed.path("Id").asText(), context, images);
			if (facts != null) {
				containers.add(facts);
			}
		}
		containers.sort(Comparator.comparing(c -> c.name() == null ? "" : c.name()));
		return new Snapshot(engine, withLiveWrites(containers, writes));
	}

	/** The first count of the write window over the listed running containers; null when there is nothing to read here. */
	private ContainerWrites.Window startWrites(JsonNode listing) {
		List<String> running = new ArrayList<>();
		for (JsonNode listed : listing) {
			if ("running".equals(listed.path("State").asText(null)) && !listed.path("Labels").has(PROBE_LABEL)) {
				running.add(listed.path("Id").asText());
			}
		}
		if (local == null || running.isEmpty()) {
			return null;
		}
		try {
			return local.startWrites(running);
		}
		catch (RuntimeException e) {
			return null;
		}
	}

	/** Running containers with what they write now, read over one window for all of them; the rest as they are. */
	private List<ContainerFacts> withLiveWrites(List<ContainerFacts> containers, ContainerWrites.Window window) {
		if (window == null) {
			return containers;
		}
		Map<String, ContainerWrites.Reading> readings;
		try {
			readings = local.finishWrites(window);
		}
		catch (RuntimeException e) {
			// a reading that fails leaves the writes unknown; the rest of the facts stand
			return containers;
		}
		List<ContainerFacts> out = new ArrayList<>();
		for (ContainerFacts c : containers) {
			ContainerWrites.Reading r = readings.get(c.id());
			out.add(r == null ? c : withWrites(c, r));
		}
		return out;
	}

	static ContainerFacts withWrites(ContainerFacts c, ContainerWrites.Reading r) {
		return new ContainerFacts(c.id(), c.name(), c.image(), c.state(), c.networkMode(), c.cpusetCpus(), c.cpuLimit(),
				c.memoryLimitBytes(), c.ports(), c.mounts(), c.writableLayerBytes(), c.privileged(), c.seccompProfile(),
				c.restartPolicy(), c.ipAddress(), c.envNames(), c.labels(), c.runCommand(), c.autoRemove(), c.imageId(),
				c.cpuPeriods(), c.cpuThrottledPeriods(), c.logDriver(), c.logMaxSize(), r.bytesPerSecond(),
				r.layerFilesOpenForWrite());
	}

	/** Names of all containers, sorted, cheaply (no inspect): for Tab completion. */
	public List<String> containerNames() {
		List<String> names = new ArrayList<>();
		for (JsonNode listed : api.containers()) {
			String name = primaryName(listed);
			if (name != null) {
				names.add(name);
			}
		}
		names.sort(null);
		return names;
	}

	/** One container by name or unique id prefix, as {@code docker inspect} would find it. */
	public Optional<ContainerFacts> container(String nameOrId) {
		if (nameOrId == null || nameOrId.isBlank()) {
			return Optional.empty();
		}
		String wanted = nameOrId.startsWith("/") ? nameOrId.substring(1) : nameOrId;
		String byPrefix = null;
		int prefixMatches = 0;
		String id = null;
		JsonNode listing = api.containers();
		for (JsonNode listed : listing) {
			String listedId = listed.path("Id").asText();
			if (wanted.equals(primaryName(listed)) || wanted.equals(listedId)) {
				id = listedId;
				break;
			}
			if (listedId.startsWith(wanted)) {
				byPrefix = listedId;
				prefixMatches++;
			}
		}
		if (id == null && prefixMatches == 1) {
			id = byPrefix;
		}
		if (id == null) {
			return Optional.empty();
		}
		JsonNode info = api.info();
		EngineContext context = EngineContext.of(info, daemon.get().userlandProxy()).withContainerNames(names(listing));
		return Optional.ofNullable(inspectOne(id, context, new HashMap<>()));
	}

	private ContainerFacts inspectOne(String id, EngineContext context, Map<String, JsonNode> images) {
		JsonNode inspect = api.inspect(id);
		if (inspect == null) {
			// Removed between listing and inspecting.
			return null;
		}
		String imageId = inspect.path("Image").asText("");
		JsonNode imageConfig = imageId.isEmpty() ? null : images.computeIfAbsent(imageId, i -> {
			JsonNode image = api.image(i);
			return image == null ? null : image.path("Config");
		});
		return DockerFactsMapper.container(inspect, context, imageConfig, cfs(inspect));
	}

	/** A running container's CFS counters, read live; null for a stopped one or a remote engine. */
	private CgroupCpuReader.CfsStat cfs(JsonNode inspect) {
		if (cgroups == null || !inspect.path("State").path("Running").asBoolean(false)) {
			return null;
		}
		return cgroups.read(inspect.path("Id").asText(null), inspect.path("State").path("Pid").asLong(0));
	}

	/** Every listed container's name by full id, for a namespace shared with another container. */
	private static Map<String, String> names(JsonNode listing) {
		Map<String, String> names = new HashMap<>();
		for (JsonNode listed : listing) {
			String name = primaryName(listed);
			if (name != null) {
				names.put(listed.path("Id").asText(), name);
			}
		}
		return names;
	}

	private static String primaryName(JsonNode listed) {
		JsonNode names = listed.path("Names");
		if (!names.isArray() || names.isEmpty()) {
			return null;
		}
		// Legacy links add names like /other/alias; the container's own has a single slash.
		for (JsonNode name : names) {
			String text = name.asText();
			if (text.lastIndexOf('/') == 0) {
				return text.substring(1);
			}
		}
		String first = names.get(0).asText();
		return first.startsWith("/") ? first.substring(1) : first;
	}
}
