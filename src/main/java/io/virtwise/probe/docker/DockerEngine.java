package io.virtwise.probe.docker;

import io.virtwise.probe.core.ExecResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The few Docker engine calls a probe run makes, so the run's create and cleanup logic is tested
 * with a fake as well as against the lab's engine ({@link DockerClientEngine}). Removals of
 * something already gone succeed; every other failure is an unchecked exception.
 */
public interface DockerEngine {

	/** A container as the probe needs it: running or not, its first IP address and gateway, host ports by container port. */
	record ContainerState(boolean running, String ip, String gateway, Map<Integer, Integer> hostPorts) {
	}

	/** A container, image or volume found by label: its id, its names and its labels. */
	record Labelled(String id, List<String> names, Map<String, String> labels) {
	}

	/** Fails when the engine does not answer. */
	void ping();

	/** Whether the image is on the engine (probes never pull). */
	boolean hasImage(String image);

	/** Whether a container of that name or id exists. */
	boolean containerExists(String nameOrId);

	/** Creates the container, not yet started; returns its id. */
	String create(DockerRun spec);

	void start(String id);

	ContainerState inspect(String id);

	/** The container's last log line, for a container that stopped at once. */
	String lastLogLine(String id);

	/** Waits for a container to exit; its exit code, or -1 when it did not within the timeout. */
	int waitFor(String id, Duration timeout);

	ExecResult exec(String container, Duration timeout, List<String> argv);

	/** Removes a container by force, never its volumes (a sidecar shares a target's through --volumes-from). */
	void removeContainer(String id);

	void createVolume(String name, Map<String, String> labels);

	/** Fails while a just-removed container still holds the volume. */
	void removeVolume(String name);

	/** Commits a container into {@code repository:tag}; returns the image id. */
	String commit(String containerId, String repository, String tag);

	void removeImage(String id);

	/** All containers (running or not), images and volumes carrying {@code label}, whatever its value. */
	List<Labelled> containers(String label);

	List<Labelled> images(String label);

	List<Labelled> volumes(String label);

	/** The default bridge network's gateway address as its IPAM config states it, or null. */
	String bridgeGateway();
}
