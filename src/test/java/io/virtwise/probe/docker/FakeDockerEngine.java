package io.virtwise.probe.docker;

import io.virtwise.probe.core.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An in-memory engine: containers, volumes and images with their labels, a log of every call
 * that creates or removes, and switches to make one call fail or the engine stop answering. Like
 * docker-java, a ping from an interrupted thread fails.
 */
final class FakeDockerEngine implements DockerEngine {

	record Obj(String id, String name, Map<String, String> labels) {
	}

	final Map<String, Obj> containers = new LinkedHashMap<>();
	final Map<String, Obj> volumes = new LinkedHashMap<>();
	final Map<String, Obj> images = new LinkedHashMap<>();
	final List<String> log = new ArrayList<>();
	boolean answering = true;
	Predicate<String> failStart = name -> false;
	private int next;

	Obj userContainer(String name, Map<String, String> labels) {
		Obj c = new Obj("user-" + (++next), name, labels);
		containers.put(c.id(), c);
		return c;
	}

	private void answer() {
		if (!answering || Thread.currentThread().isInterrupted()) {
			throw new IllegalStateException("engine not answering");
		}
	}

	@Override
	public void ping() {
		answer();
	}

	@Override
	public boolean hasImage(String image) {
		return true;
	}

	@Override
	public boolean containerExists(String nameOrId) {
		answer();
		return containers.containsKey(nameOrId) || containers.values().stream().anyMatch(c -> c.name().equals(nameOrId));
	}

	@Override
	public String create(DockerRun spec) {
		answer();
		String id = "c" + (++next);
		containers.put(id, new Obj(id, spec.name(), spec.labels()));
		log.add("create " + spec.name() + ": " + String.join(" ", spec.command()));
		return id;
	}

	@Override
	public void start(String id) {
		answer();
		Obj c = containers.get(id);
		if (failStart.test(c.name())) {
			throw new IllegalStateException("cannot start " + c.name());
		}
	}

	@Override
	public ContainerState inspect(String id) {
		answer();
		return new ContainerState(true, "172.17.0.9", "172.17.0.1", Map.of());
	}

	@Override
	public String lastLogLine(String id) {
		return "no output";
	}

	@Override
	public int waitFor(String id, Duration timeout) {
		return 0;
	}

	@Override
	public ExecResult exec(String container, Duration timeout, List<String> argv) {
		answer();
		log.add("exec " + container + " " + String.join(" ", argv));
		return new ExecResult(0, "", "", 0);
	}

	@Override
	public void removeContainer(String id) {
		answer();
		if (containers.remove(id) != null) {
			log.add("remove container " + id);
		}
	}

	@Override
	public void createVolume(String name, Map<String, String> labels) {
		answer();
		volumes.put(name, new Obj(name, name, labels));
		log.add("create volume " + name);
	}

	@Override
	public void removeVolume(String name) {
		answer();
		if (volumes.remove(name) != null) {
			log.add("remove volume " + name);
		}
	}

	@Override
	public String commit(String containerId, String repository, String tag) {
		answer();
		String id = "sha256:" + (++next);
		images.put(id, new Obj(id, repository + ":" + tag, containers.get(containerId).labels()));
		log.add("commit " + id);
		return id;
	}

	@Override
	public void removeImage(String id) {
		answer();
		if (images.remove(id) != null) {
			log.add("remove image " + id);
		}
	}

	@Override
	public List<Labelled> containers(String label) {
		return labelled(containers, label);
	}

	@Override
	public List<Labelled> images(String label) {
		return labelled(images, label);
	}

	@Override
	public List<Labelled> volumes(String label) {
		return labelled(volumes, label);
	}

	private List<Labelled> labelled(Map<String, Obj> objects, String label) {
		answer();
		return objects.values().stream().filter(o -> o.labels().containsKey(label))
			.map(o -> new Labelled(o.id(), List.of("/" + o.name()), o.labels())).toList();
	}

	@Override
	public String bridgeGateway() {
		return "172.17.0.1";
	}
}
