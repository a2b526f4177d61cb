package io.virtwise.importer;

import io.virtwise.docker.inspect.DaemonSettings;
import io.virtwise.docker.inspect.DockerFactsMapper;
import io.virtwise.docker.inspect.DockerJson;
import io.virtwise.docker.inspect.EngineContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.EngineFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.InputFiles;
import io.virtwise.facts.KvmNodeFacts;
import io.virtwise.kvm.inspect.KvmArtifacts;

/**
 * Merges saved files into facts: {@code docker inspect} output (an array of containers),
 * {@code docker info --format '{{json .}}'}, {@code docker version --format '{{json .}}'},
 * virtwise facts files, and libvirt's {@code virsh dumpxml} (a guest) and {@code virsh capabilities}
 * (the KVM node) XML, told apart from JSON by their first character. Every file is read and recognised before anything is merged, so one bad
 * file imports nothing. Containers are mapped after the batch's engine files, whatever their
 * order, so they know whether the engine runs seccomp and the userland proxy.
 */
public final class FactsImporter {

	/** The merged facts and one summary line per file, in the order given. */
	public record Result(Facts facts, List<String> summaries) {
	}

	private sealed interface Artifact {
	}

	/** docker inspect output: containers, and images ({@code docker image inspect}, or both in one array). */
	private record Inspect(List<JsonNode> containers, List<JsonNode> images) implements Artifact {
	}

	private record Info(JsonNode info) implements Artifact {
	}

	private record Version(JsonNode version) implements Artifact {
	}

	private record FactsFile(Facts facts) implements Artifact {
	}

	private record Libvirt(KvmArtifacts.Parsed parsed) implements Artifact {
	}

	private FactsImporter() {
	}

	/** @param base the facts merged into (not changed); files override what they also say */
	public static Result importFiles(Facts base, List<Path> files) throws FactsFileException {
		Map<Path, Artifact> artifacts = new LinkedHashMap<>();
		for (Path file : files) {
			artifacts.put(file, read(file));
		}
		Facts facts = base;
		EngineFacts engine = base.docker();
		List<GuestFacts> guests = new ArrayList<>(base.guests());
		KvmNodeFacts node = base.kvmNode();
		Boolean seccomp = null;
		Map<Path, String> summaries = new LinkedHashMap<>();
		for (Map.Entry<Path, Artifact> entry : artifacts.entrySet()) {
			String name = entry.getKey().toString();
			Artifact artifact = entry.getValue();
			if (artifact instanceof Info i) {
				EngineFacts read = DockerFactsMapper.engine(i.info(), null, DaemonSettings.UNKNOWN);
				engine = mergeEngine(engine, read);
				seccomp = EngineContext.of(i.info(), null).seccomp();
				summaries.put(entry.getKey(), name + ": docker info, " + describe(read));
			}
			else if (artifact instanceof Version v) {
				EngineFacts read = new EngineFacts(DockerJson.text(v.version(), "Version"),
						DockerJson.text(v.version(), "ApiVersion"), null, null, null, null, null, null, null, null, null,
						null);
				engine = mergeEngine(engine, read);
				summaries.put(entry.getKey(), name + ": docker version, Docker " + orUnknown(read.version()) + ", API "
						+ orUnknown(read.apiVersion()));
			}
			else if (artifact instanceof Libvirt l && l.parsed().guest() != null) {
				replaceOrAdd(guests, l.parsed().guest());
				summaries.put(entry.getKey(), name + ": virsh dumpxml, " + describe(l.parsed().guest()));
			}
			else if (artifact instanceof Libvirt l) {
				node = l.parsed().node();
				summaries.put(entry.getKey(), name + ": virsh capabilities, " + describe(node));
			}
			else if (artifact instanceof FactsFile f) {
				facts = mergeFacts(facts, f.facts());
				engine = mergeEngine(engine, f.facts().docker());
				f.facts().guests().forEach(g -> replaceOrAdd(guests, g));
				node = f.facts().kvmNode() != null ? f.facts().kvmNode() : node;
				summaries.put(entry.getKey(), name + ": virtwise facts (schema " + f.facts().schemaVersion() + ", "
						+ orUnknown(f.facts().source()) + " at " + orUnknown(f.facts().collectedAt()) + ", host "
						+ (f.facts().host() == null ? "unknown" : orUnknown(f.facts().host().hostname())) + ", "
						+ f.facts().containers().size() + " containers, " + f.facts().guests().size() + " guests, "
						+ f.facts().probes().size() + " probe results)");
			}
			else {
				// docker inspect: mapped below, once the whole batch's engine is known
				summaries.put(entry.getKey(), null);
			}
		}
		// over the batch's docker inspect files: the containers' names by id, for namespaces shared by id
		// (the base's too), the images' configs, so the run lines leave out what an image sets, and the
		// images the batch's containers use
		Map<String, String> containerNames = new HashMap<>();
		facts.containers().stream().filter(c -> c.id() != null && c.name() != null)
			.forEach(c -> containerNames.put(c.id(), c.name()));
		Map<String, JsonNode> imageConfigs = new HashMap<>();
		Set<String> imagesInUse = new HashSet<>();
		for (Artifact artifact : artifacts.values()) {
			if (artifact instanceof Inspect inspect) {
				for (JsonNode c : inspect.containers()) {
					String name = DockerFactsMapper.name(c);
					if (name != null) {
						containerNames.put(c.path("Id").asText(), name);
					}
					imagesInUse.add(c.path("Image").asText());
				}
				inspect.images().forEach(i -> imageConfigs.put(i.path("Id").asText(), i.path("Config")));
			}
		}
		EngineContext context = new EngineContext(engine == null ? null : engine.userlandProxy(), seccomp,
				engine == null ? null : engine.loggingDriver(), engine == null ? null : engine.defaultRuntime(), containerNames);
		List<ContainerFacts> containers = new ArrayList<>(facts.containers());
		for (Map.Entry<Path, Artifact> entry : artifacts.entrySet()) {
			if (entry.getValue() instanceof Inspect inspect) {
				List<ContainerFacts> mapped = inspect.containers().stream()
					.map(c -> DockerFactsMapper.container(c, context, imageConfigs.get(c.path("Image").asText())))
					.toList();
				mapped.forEach(c -> replaceOrAdd(containers, c));
				long withoutImage = inspect.containers().stream().filter(c -> !imageConfigs.containsKey(c.path("Image").asText())).count();
				// an image serves the containers of its own import only: those imported before keep their lines
				List<JsonNode> unused = inspect.images().stream().filter(i -> !imagesInUse.contains(i.path("Id").asText())).toList();
				summaries.put(entry.getKey(), entry.getKey() + ": docker inspect, "
						+ describe(mapped, inspect.images(), withoutImage, unused.size()));
			}
		}
		Facts merged = new Facts(facts.schemaVersion(), facts.collectedAt(), facts.source(), facts.host(), containers,
				guests, facts.probes(), engine, node);
		return new Result(merged, List.copyOf(summaries.values()));
	}

	private static Artifact read(Path file) throws FactsFileException {
		JsonNode tree;
		try (InputStream in = new BufferedInputStream(InputFiles.open(file, "input file"))) {
			if (startsWithXml(in)) {
				String text = InputFiles.decode(in.readAllBytes(), file, "input file");
				String xml = text.startsWith("\uFEFF") ? text.substring(1) : text;
				try {
					return new Libvirt(KvmArtifacts.parse(xml, file.toString()));
				}
				catch (IllegalArgumentException e) {
					throw new FactsFileException(e.getMessage(), e);
				}
			}
			tree = FactsJson.readTree(in);
		}
		catch (NoSuchFileException e) {
			throw new FactsFileException(file + " does not exist");
		}
		catch (JsonProcessingException e) {
			throw FactsJson.notJson(file.toString(), e);
		}
		catch (InputFiles.InputFileException e) {
			throw new FactsFileException(e.getMessage(), e);
		}
		catch (IOException e) {
			throw new FactsFileException("cannot read " + file + ": " + e.getMessage(), e);
		}
		if (tree != null && tree.isArray() && !tree.isEmpty()) {
			List<JsonNode> containers = new ArrayList<>();
			List<JsonNode> images = new ArrayList<>();
			for (JsonNode element : tree) {
				if (isContainer(element)) {
					containers.add(element);
				}
				else if (isImage(element)) {
					images.add(element);
				}
				else {
					throw unknown(file, "a JSON array, but not of containers or images (docker inspect of a network or volume?)");
				}
			}
			return new Inspect(containers, images);
		}
		if (tree != null && tree.isObject()) {
			if (tree.has("schemaVersion")) {
				return new FactsFile(FactsJson.parse(tree, file.toString()));
			}
			if (isContainer(tree)) {
				// docker inspect --format '{{json .}}' NAME: one container, not an array.
				return new Inspect(List.of(tree), List.of());
			}
			if (isImage(tree)) {
				return new Inspect(List.of(), List.of(tree));
			}
			if (tree.has("ServerVersion") || tree.has("DockerRootDir") && tree.has("Driver")) {
				return new Info(tree);
			}
			if (tree.path("Server").has("ApiVersion")) {
				return new Version(tree.path("Server"));
			}
			if (tree.has("ApiVersion") && tree.has("Version")) {
				return new Version(tree);
			}
		}
		throw unknown(file, tree == null || tree.isMissingNode() ? "empty" : tree.isArray() ? "an empty JSON array" : "JSON of an unknown kind");
	}

	/** Whether the first character past a byte-order mark and white space is '<'; the stream is left where it was. */
	private static boolean startsWithXml(InputStream in) throws IOException {
		in.mark(4096);
		try {
			int b = in.read();
			if (b == 0xEF && in.read() == 0xBB && in.read() == 0xBF) {
				b = in.read();
			}
			for (int seen = 0; b == ' ' || b == '\t' || b == '\r' || b == '\n'; seen++) {
				if (seen > 4000) {
					return false; // past the mark: JSON's parser reports whatever follows
				}
				b = in.read();
			}
			return b == '<';
		}
		finally {
			in.reset();
		}
	}

	private static boolean isContainer(JsonNode node) {
		return node.isObject() && node.has("Id") && (node.has("HostConfig") || node.has("State"));
	}

	private static boolean isImage(JsonNode node) {
		return node.isObject() && node.has("Id") && node.has("RootFS") && node.has("Config") && !isContainer(node);
	}

	private static FactsFileException unknown(Path file, String what) {
		return new FactsFileException(file + " is " + what + "; facts import reads docker inspect output (an array of "
				+ "containers, and of images for their config), docker info --format '{{json .}}', docker version --format '{{json .}}', a virtwise facts file, "
				+ "virsh dumpxml or virsh capabilities XML");
	}

	/** Field by field: what the newer file knows wins, what it does not know is kept. */
	static EngineFacts mergeEngine(EngineFacts old, EngineFacts fresh) {
		if (old == null || fresh == null) {
			return fresh == null ? old : fresh;
		}
		return new EngineFacts(
				pick(fresh.version(), old.version()),
				pick(fresh.apiVersion(), old.apiVersion()),
				pick(fresh.storageDriver(), old.storageDriver()),
				pick(fresh.backingFilesystem(), old.backingFilesystem()),
				pick(fresh.cgroupDriver(), old.cgroupDriver()),
				pick(fresh.cgroupVersion(), old.cgroupVersion()),
				pick(fresh.userlandProxy(), old.userlandProxy()),
				pick(fresh.iptables(), old.iptables()),
				pick(fresh.loggingDriver(), old.loggingDriver()),
				pick(fresh.defaultRuntime(), old.defaultRuntime()),
				pick(fresh.rootDir(), old.rootDir()),
				pick(fresh.containersRunning(), old.containersRunning()),
				pick(fresh.rootFilesystem(), old.rootFilesystem()),
				pick(fresh.supportsDType(), old.supportsDType()));
	}

	private static Facts mergeFacts(Facts old, Facts fresh) {
		List<ContainerFacts> containers = new ArrayList<>(old.containers());
		fresh.containers().forEach(c -> replaceOrAdd(containers, c));
		List<io.virtwise.facts.ProbeResult> probes = new ArrayList<>(old.probes());
		probes.addAll(fresh.probes());
		// guests and the KVM node are merged by the caller, together with those of libvirt XML files
		return new Facts(old.schemaVersion(), fresh.collectedAt() != null ? fresh.collectedAt() : old.collectedAt(),
				old.source(), fresh.host() != null ? fresh.host() : old.host(), containers, old.guests(), probes, old.docker(),
				old.kvmNode());
	}

	/** The same container (by id, else by name) imported again replaces the earlier one. */
	private static void replaceOrAdd(List<ContainerFacts> containers, ContainerFacts c) {
		for (int i = 0; i < containers.size(); i++) {
			ContainerFacts existing = containers.get(i);
			boolean same = c.id() != null && existing.id() != null ? c.id().equals(existing.id())
					: c.name() != null && c.name().equals(existing.name());
			if (same) {
				containers.set(i, c);
				return;
			}
		}
		containers.add(c);
	}

	/** The same guest (by name) imported again replaces the earlier one, whichever file it came from. */
	private static void replaceOrAdd(List<GuestFacts> guests, GuestFacts g) {
		for (int i = 0; i < guests.size(); i++) {
			if (g.name() != null && g.name().equals(guests.get(i).name())) {
				guests.set(i, g);
				return;
			}
		}
		guests.add(g);
	}

	private static String describe(GuestFacts g) {
		return "guest " + orUnknown(g.name()) + " (type " + orUnknown(g.accel()) + ", " + orUnknown(g.vcpus()) + " vCPUs, "
				+ (g.memoryKb() == null ? "memory unknown" : g.memoryKb() / 1024 + " MiB") + ", "
				+ count(g.disks() == null ? 0 : g.disks().size(), "disk") + ", "
				+ count(g.nics() == null ? 0 : g.nics().size(), "NIC") + ")";
	}

	private static String describe(KvmNodeFacts n) {
		return orUnknown(n.cpus()) + " CPUs in " + count(n.cells() == null ? 0 : n.cells().size(), "NUMA cell")
				+ ", domain types " + (n.domainTypes() == null || n.domainTypes().isEmpty() ? "unknown"
						: String.join(", ", n.domainTypes()));
	}

	/** "1 disk", "2 disks". */
	public static String count(int n, String noun) {
		return n + " " + noun + (n == 1 ? "" : "s");
	}

	static String describe(EngineFacts engine) {
		return "Docker " + orUnknown(engine.version()) + ", " + orUnknown(engine.storageDriver()) + " on "
				+ orUnknown(engine.backingFilesystem()) + ", cgroup v" + orUnknown(engine.cgroupVersion()) + " ("
				+ orUnknown(engine.cgroupDriver()) + "), " + orUnknown(engine.containersRunning()) + " running";
	}

	private static String describe(List<ContainerFacts> containers, List<JsonNode> images, long withoutImage, int unusedImages) {
		List<String> parts = new ArrayList<>();
		if (!containers.isEmpty()) {
			parts.add(containers.size() + (containers.size() == 1 ? " container" : " containers") + " (" + names(containers) + ")");
		}
		if (!images.isEmpty()) {
			parts.add(images.size() + (images.size() == 1 ? " image" : " images") + " ("
					+ images.stream().map(FactsImporter::imageName).collect(Collectors.joining(", ")) + ")");
		}
		if (unusedImages > 0) {
			parts.add((unusedImages == images.size() ? "used by none" : unusedImages + " used by none")
					+ " of the containers imported with " + (images.size() == 1 ? "it" : "them")
					+ " (an image serves the containers of its own facts import)");
		}
		String what = String.join(", ", parts);
		if (withoutImage > 0) {
			what += "; without " + (withoutImage == 1 ? "its image's" : "their images'") + " config the rebuilt run line"
					+ (withoutImage == 1 ? "" : "s") + " also carr" + (withoutImage == 1 ? "ies" : "y")
					+ " what the image sets (labels, command, environment names): import docker image inspect IMAGE with "
					+ (withoutImage == 1 ? "it" : "them") + " to leave that out";
		}
		return what;
	}

	private static String imageName(JsonNode image) {
		JsonNode tags = image.path("RepoTags");
		if (tags.isArray() && !tags.isEmpty()) {
			return tags.get(0).asText();
		}
		String id = image.path("Id").asText();
		return id.startsWith("sha256:") && id.length() > 19 ? id.substring(7, 19) : id;
	}

	private static String names(List<ContainerFacts> containers) {
		List<String> names = containers.stream().map(c -> orUnknown(c.name())).toList();
		return names.size() <= 5 ? String.join(", ", names)
				: names.subList(0, 5).stream().collect(Collectors.joining(", ")) + ", ... " + (names.size() - 5) + " more";
	}

	private static <T> T pick(T fresh, T old) {
		return fresh != null ? fresh : old;
	}

	private static String orUnknown(Object value) {
		return value == null ? "unknown" : value.toString();
	}
}
