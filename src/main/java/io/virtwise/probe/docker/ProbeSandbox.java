package io.virtwise.probe.docker;

import io.virtwise.probe.core.ExecResult;
import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.core.RunId;
import io.virtwise.probe.core.Scratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.github.dockerjava.api.DockerClient;

/**
 * Everything one probe run creates on the engine, and its removal: containers, volumes,
 * images and temporary directories are labelled with the run id, tracked as they are created,
 * and removed by {@link #close()}, which a JVM shutdown hook also calls (Ctrl-C, kill). Only
 * labelled objects are ever removed; a target container is only read.
 */
public final class ProbeSandbox implements AutoCloseable {

	/** Where temporary directories go: disk-backed by convention (unlike /tmp, often tmpfs). */
	public static final Path TEMP_ROOT = Path.of("/var/tmp");
	public static final String TEMP_PREFIX = "vwprobe-";

	/** Only directories named exactly like ours are ever swept: {@code vwprobe-<run-id>-<role>}. */
	public static final java.util.regex.Pattern TEMP_NAME = java.util.regex.Pattern.compile("vwprobe-([0-9a-z]{1,12}-\\d{1,10})-[a-z][a-z-]*");

	static final String CONTAINER = "container";
	static final String IMAGE = "image";
	static final String VOLUME = "volume";
	static final String DIRECTORY = "directory";
	static final String UNDO = "undo";

	/** On a container that mounts someone else's volumes: the scratch directories we made in them. */
	static final String SCRATCH_LABEL = "io.virtwise.probe.scratch";

	private final DockerEngine engine;
	private final Path tempRoot;
	private final RunId runId;
	private final String image;
	private final Scratch scratch;
	private volatile boolean engineLossReported;

	/** A started container: its name, id, first IP address and host ports by container port. */
	public record Started(String id, String name, String ip, Map<Integer, Integer> hostPorts, String commandLine) {
	}

	public ProbeSandbox(DockerClient docker, RunId runId, String image) {
		this(new DockerClientEngine(docker), TEMP_ROOT, runId, image);
	}

	/** {@code tempRoot}: where temporary directories go and leftovers of them are swept. */
	public ProbeSandbox(DockerEngine engine, Path tempRoot, RunId runId, String image) {
		this.engine = engine;
		this.tempRoot = tempRoot;
		this.runId = runId;
		this.image = image;
		this.scratch = new Scratch(runId, "virtwise-probe-cleanup", this::close);
	}

	public RunId runId() {
		return runId;
	}

	public String image() {
		return image;
	}

	public DockerEngine engine() {
		return engine;
	}

	public String name(String role) {
		return "vwprobe-" + runId.value() + "-" + role;
	}

	/** A container of the probe image with this run's labels. */
	public DockerRun container(String role, String... command) {
		return DockerRun.of(name(role), runId.labels(), image, command);
	}

	public Started run(DockerRun spec) {
		String id = engine.create(spec);
		refuseAfterClose(scratch.add(CONTAINER, id, () -> removeContainer(id)));
		engine.start(id);
		DockerEngine.ContainerState state = engine.inspect(id);
		if (!state.running() && spec.command().size() > 0 && !isOneShot(spec)) {
			throw new ProbeOutputException(spec.name() + " stopped at once: " + engine.lastLogLine(id));
		}
		return new Started(id, spec.name(), state.ip(), state.hostPorts(), spec.commandLine());
	}

	/** A container that does its work and exits: {@link #waitFor} it instead of expecting it to run. */
	private static boolean isOneShot(DockerRun spec) {
		return spec.labels().containsKey(ONE_SHOT);
	}

	static final String ONE_SHOT = "io.virtwise.probe.one-shot";

	/** Waits for a one-shot container to exit; returns its exit code. */
	public int waitFor(String id, Duration timeout) {
		return engine.waitFor(id, timeout);
	}

	/** The container's state now: running, addresses and host ports. */
	public DockerEngine.ContainerState inspect(String id) {
		return engine.inspect(id);
	}

	/** The line a person would type for the same exec. */
	public static String execLine(String container, List<String> argv) {
		List<String> words = new ArrayList<>(List.of("docker", "exec", container));
		words.addAll(argv);
		return DockerRun.join(words);
	}

	public ExecResult exec(String container, Duration timeout, List<String> argv) {
		return engine.exec(container, timeout, argv);
	}

	public String createVolume(String role) {
		String name = name(role);
		engine.createVolume(name, runId.labels());
		refuseAfterClose(scratch.add(VOLUME, name, () -> removeVolume(name)));
		return name;
	}

	/** Commits a container of this run into an image (labelled through the container's labels). */
	public String commit(String containerId, String role) {
		String id = engine.commit(containerId, "vwprobe-" + role, runId.value());
		refuseAfterClose(scratch.add(IMAGE, id, () -> removeImage(id)));
		return id;
	}

	/** The command line for {@link #commit}. */
	public String commitLine(String container, String role) {
		return DockerRun.join(List.of("docker", "commit", container, "vwprobe-" + role + ":" + runId.value()));
	}

	public Path tempDir(String role) throws IOException {
		Path dir = tempRoot.resolve(TEMP_PREFIX + runId.value() + "-" + role);
		Files.createDirectories(dir);
		refuseAfterClose(scratch.add(DIRECTORY, dir.toString(), () -> removeDir(dir)));
		return dir;
	}

	/**
	 * Ctrl-C runs {@link #close()} in the shutdown hook while the probe thread may still be
	 * creating something: whatever it creates after that is removed at once, and the probe stops.
	 */
	private static void refuseAfterClose(boolean registered) {
		if (!registered) {
			throw new ProbeOutputException("the probe run was stopped");
		}
	}

	/**
	 * Something to undo when the run ends, on failure and Ctrl-C too, before the containers
	 * registered earlier go: e.g. files written into a target's own volume through one of them.
	 */
	public void undo(String name, Runnable undo) {
		refuseAfterClose(scratch.add(UNDO, name, undo));
	}

	/** Runs a registered {@link #undo} now, once. */
	public void undoNow(String name) {
		scratch.removeNow(UNDO, name);
	}

	/** Removes one container of this run now (e.g. a copy-up container whose 256 MiB upper layer is done). */
	public void remove(String id) {
		scratch.removeNow(CONTAINER, id);
	}

	/**
	 * Leaves everything this run created in place (probe docker --keep, after a completed run) and
	 * says what that is and how to remove it. Later runs sweep it like any finished run's leftovers.
	 */
	public String keep() {
		if (scratch.isClosed()) {
			return "nothing kept: the run was already cleaned up";
		}
		List<Scratch.Item> kept = scratch.keep();
		String filter = "label=" + RunId.LABEL + "=" + runId.value();
		List<String> what = new ArrayList<>();
		List<String> remove = new ArrayList<>();
		long containers = count(kept, CONTAINER);
		if (containers > 0) {
			what.add(containers + (containers == 1 ? " container" : " containers"));
			remove.add("docker rm -f $(docker ps -aq --filter " + filter + ")");
		}
		long images = count(kept, IMAGE);
		if (images > 0) {
			what.add(images + (images == 1 ? " image" : " images"));
			remove.add("docker rmi $(docker images -q --filter " + filter + ")");
		}
		List<String> volumes = new ArrayList<>(names(kept, VOLUME));
		if (!volumes.isEmpty()) {
			Collections.reverse(volumes); // newest first, as before
			what.add("volume " + String.join(", ", volumes));
			remove.add("docker volume rm $(docker volume ls -q --filter " + filter + ")");
		}
		List<String> dirs = names(kept, DIRECTORY);
		if (!dirs.isEmpty()) {
			what.add("directories " + dirs.stream().sorted().collect(Collectors.joining(", ")));
			remove.add("rm -rf " + tempRoot.resolve(TEMP_PREFIX + runId.value()) + "-*");
		}
		if (what.isEmpty()) {
			return "kept: nothing was created";
		}
		return "kept (--keep), labelled " + RunId.LABEL + "=" + runId.value() + ": " + String.join("; ", what)
				+ ", so the command lines behind each figure (--commands) run again as they are; the next probe docker "
				+ "removes them, or now: " + String.join(" && ", remove);
	}

	private static long count(List<Scratch.Item> items, String kind) {
		return items.stream().filter(i -> i.kind().equals(kind)).count();
	}

	private static List<String> names(List<Scratch.Item> items, String kind) {
		return items.stream().filter(i -> i.kind().equals(kind)).map(Scratch.Item::name).toList();
	}

	/** Removes everything this run created, newest first; safe to call twice and from the shutdown hook. */
	@Override
	public void close() {
		if (scratch.isClosed()) {
			return;
		}
		List<Scratch.Item> created = scratch.items();
		if (created.stream().anyMatch(i -> !i.kind().equals(DIRECTORY)) && !engineAnswersUninterrupted()) {
			// one line instead of one failure per object; the next run's sweep removes them
			if (!engineLossReported) {
				System.err.println("virtwise: the Docker engine is not answering: what this run created stays labelled "
						+ RunId.LABEL + "=" + runId.value() + " until the next probe docker removes it");
			}
			if (scratch.close(i -> false)) {
				names(created, DIRECTORY).forEach(dir -> deleteTreeQuietly(Path.of(dir)));
			}
			return;
		}
		scratch.close();
	}

	/** After Ctrl-C the thread is interrupted, and the ping would fail at once whatever the engine's state. */
	private boolean engineAnswersUninterrupted() {
		boolean interrupted = Thread.interrupted();
		try {
			return engineAnswers();
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** The caller's own error says the engine is gone and what stays: close need not say it again. */
	public void engineLossReported() {
		engineLossReported = true;
	}

	/** Whether the engine answers a ping now. */
	public boolean engineAnswers() {
		try {
			engine.ping();
			return true;
		}
		catch (RuntimeException e) {
			return false;
		}
	}

	private void deleteTreeQuietly(Path dir) {
		try {
			Scratch.deleteTree(dir);
		}
		catch (IOException e) {
			System.err.println("virtwise: could not remove " + dir + ": " + e.getMessage());
		}
	}

	private void removeContainer(String id) {
		try {
			// never -v: a sidecar shares a target's volumes through --volumes-from
			engine.removeContainer(id);
		}
		catch (RuntimeException e) {
			System.err.println("virtwise: could not remove probe container " + id + ": " + e.getMessage());
		}
	}

	private void removeImage(String id) {
		try {
			engine.removeImage(id);
		}
		catch (RuntimeException e) {
			System.err.println("virtwise: could not remove probe image " + id + ": " + e.getMessage());
		}
	}

	private void removeVolume(String name) {
		for (int attempt = 0; attempt < 5; attempt++) {
			try {
				engine.removeVolume(name);
				return;
			}
			catch (RuntimeException inUse) {
				// the engine may still be releasing a just-removed container's mounts
				sleep(200);
			}
		}
		System.err.println("virtwise: could not remove probe volume " + name);
	}

	private void removeDir(Path dir) {
		try {
			Scratch.deleteTree(dir);
		}
		catch (IOException e) {
			// files written by root in a container: remove them through a container
			try {
				DockerRun wipe = DockerRun.of(name("wipe-" + Long.toHexString(System.nanoTime())), oneShotLabels(), image,
						"sh", "-c", "rm -rf /scratch/* /scratch/.[!.]* 2>/dev/null; true").mount(dir.toString(), "/scratch");
				Started started = run(wipe);
				waitFor(started.id(), Duration.ofSeconds(30));
				removeContainer(started.id());
				Scratch.deleteTree(dir);
			}
			catch (IOException | RuntimeException again) {
				System.err.println("virtwise: could not remove probe directory " + dir + ": " + again.getMessage());
			}
		}
	}

	Map<String, String> oneShotLabels() {
		Map<String, String> labels = new HashMap<>(runId.labels());
		labels.put(ONE_SHOT, "true");
		return labels;
	}

	/**
	 * Removes what dead runs left behind: labelled containers (after wiping the scratch
	 * directories they made in other containers' volumes), images, volumes and temporary
	 * directories whose run is not this one and is not still going on.
	 *
	 * @return one line per object removed
	 */
	public List<String> sweepLeftovers() {
		Instant now = Instant.now();
		List<String> removed = new ArrayList<>();
		for (DockerEngine.Labelled c : engine.containers(RunId.LABEL)) {
			if (!isLeftover(c, now)) {
				continue;
			}
			String scratchDirs = c.labels().get(SCRATCH_LABEL);
			if (scratchDirs != null && !scratchDirs.isBlank()) {
				wipeScratch(c.id(), scratchDirs);
			}
			removeContainer(c.id());
			removed.add("container " + String.join(",", c.names()));
		}
		for (DockerEngine.Labelled i : engine.images(RunId.LABEL)) {
			if (isLeftover(i, now)) {
				removeImage(i.id());
				removed.add("image " + i.id());
			}
		}
		for (DockerEngine.Labelled v : engine.volumes(RunId.LABEL)) {
			if (isLeftover(v, now)) {
				removeVolume(v.id());
				removed.add("volume " + v.id());
			}
		}
		for (Path dir : Scratch.leftoverDirs(runId, tempRoot, TEMP_NAME)) {
			removeDir(dir);
			removed.add("directory " + dir);
		}
		return removed;
	}

	private boolean isLeftover(DockerEngine.Labelled object, Instant now) {
		return runId.isLeftover(object.labels().get(RunId.LABEL), object.labels().get(RunId.HOST_LABEL), now);
	}

	/** Deletes a dead sidecar's scratch directories through a container that mounts the same volumes. */
	private void wipeScratch(String sidecarId, String scratch) {
		List<String> command = new ArrayList<>(List.of("rm", "-rf"));
		for (String path : scratch.split(",")) {
			if (path.contains("/.virtwise-probe-")) {
				command.add(path);
			}
		}
		if (command.size() == 2) {
			return;
		}
		try {
			DockerRun wipe = DockerRun.of(name("wipe-" + Long.toHexString(System.nanoTime())), oneShotLabels(), image,
					command.toArray(String[]::new)).volumesFrom(sidecarId);
			Started started = run(wipe);
			waitFor(started.id(), Duration.ofSeconds(30));
			removeContainer(started.id());
		}
		catch (RuntimeException e) {
			System.err.println("virtwise: could not wipe scratch directories " + scratch + ": " + e.getMessage());
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
