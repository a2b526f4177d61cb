package io.virtwise.probe.docker;

import io.virtwise.probe.core.ExecResult;
import io.virtwise.probe.core.ProbeOutputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.VolumesFrom;

/** {@link DockerEngine} on docker-java. */
public final class DockerClientEngine implements DockerEngine {

	private final DockerClient docker;

	public DockerClientEngine(DockerClient docker) {
		this.docker = docker;
	}

	@Override
	public void ping() {
		docker.pingCmd().exec();
	}

	@Override
	public boolean hasImage(String image) {
		try {
			docker.inspectImageCmd(image).exec();
			return true;
		}
		catch (NotFoundException e) {
			return false;
		}
	}

	@Override
	public boolean containerExists(String nameOrId) {
		try {
			docker.inspectContainerCmd(nameOrId).exec();
			return true;
		}
		catch (NotFoundException e) {
			return false;
		}
	}

	@Override
	public String create(DockerRun spec) {
		CreateContainerCmd create = docker.createContainerCmd(spec.image())
			.withName(spec.name())
			.withLabels(spec.labels())
			.withCmd(spec.command());
		HostConfig host = HostConfig.newHostConfig();
		if (spec.network() != null) {
			host.withNetworkMode(spec.network());
		}
		if (spec.cpusetCpus() != null) {
			host.withCpusetCpus(spec.cpusetCpus());
		}
		if (!spec.ports().isEmpty()) {
			Ports ports = new Ports();
			List<ExposedPort> exposed = new ArrayList<>();
			for (String p : spec.ports()) {
				String[] parts = p.split("::");
				ExposedPort port = ExposedPort.tcp(Integer.parseInt(parts[1]));
				exposed.add(port);
				ports.bind(port, Ports.Binding.bindIp(parts[0]));
			}
			create.withExposedPorts(exposed);
			host.withPortBindings(ports);
		}
		if (!spec.mounts().isEmpty()) {
			host.withBinds(spec.mounts().stream().map(Bind::parse).toList());
		}
		if (spec.volumesFrom() != null) {
			host.withVolumesFrom(new VolumesFrom(spec.volumesFrom()));
		}
		if (!spec.securityOpts().isEmpty()) {
			host.withSecurityOpts(spec.securityOpts());
		}
		if (!spec.capAdd().isEmpty()) {
			host.withCapAdd(spec.capAdd().stream().map(Capability::valueOf).toArray(Capability[]::new));
		}
		if (spec.pidMode() != null) {
			host.withPidMode(spec.pidMode());
		}
		return create.withHostConfig(host).exec().getId();
	}

	@Override
	public void start(String id) {
		docker.startContainerCmd(id).exec();
	}

	@Override
	public ContainerState inspect(String id) {
		InspectContainerResponse inspect = docker.inspectContainerCmd(id).exec();
		boolean running = inspect.getState() != null && Boolean.TRUE.equals(inspect.getState().getRunning());
		return new ContainerState(running, first(inspect, ContainerNetwork::getIpAddress),
				first(inspect, ContainerNetwork::getGateway), hostPortsOf(inspect));
	}

	private static String first(InspectContainerResponse inspect, java.util.function.Function<ContainerNetwork, String> field) {
		if (inspect.getNetworkSettings() == null || inspect.getNetworkSettings().getNetworks() == null) {
			return null;
		}
		return inspect.getNetworkSettings().getNetworks().values().stream()
			.map(field)
			.filter(v -> v != null && !v.isBlank())
			.findFirst().orElse(null);
	}

	private static Map<Integer, Integer> hostPortsOf(InspectContainerResponse inspect) {
		Map<Integer, Integer> result = new HashMap<>();
		if (inspect.getNetworkSettings() == null || inspect.getNetworkSettings().getPorts() == null) {
			return result;
		}
		inspect.getNetworkSettings().getPorts().getBindings().forEach((port, bindings) -> {
			if (bindings != null && bindings.length > 0 && bindings[0].getHostPortSpec() != null) {
				result.put(port.getPort(), Integer.parseInt(bindings[0].getHostPortSpec()));
			}
		});
		return result;
	}

	@Override
	public String lastLogLine(String id) {
		StringBuilder log = new StringBuilder();
		try {
			docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(5)
				.exec(new ResultCallback.Adapter<Frame>() {
					@Override
					public void onNext(Frame frame) {
						log.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
					}
				}).awaitCompletion(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		String text = log.toString().strip();
		return text.isEmpty() ? "no output" : text.lines().reduce((a, b) -> b).orElse(text);
	}

	@Override
	public int waitFor(String id, Duration timeout) {
		Integer code = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
			.awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
		return code == null ? -1 : code;
	}

	@Override
	public ExecResult exec(String container, Duration timeout, List<String> argv) {
		long start = System.nanoTime();
		String execId = docker.execCreateCmd(container).withCmd(argv.toArray(String[]::new))
			.withAttachStdout(true).withAttachStderr(true).exec().getId();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
			@Override
			public void onNext(Frame frame) {
				byte[] payload = frame.getPayload();
				if (frame.getStreamType() == StreamType.STDERR) {
					err.writeBytes(payload);
				}
				else {
					out.writeBytes(payload);
				}
			}
		};
		try {
			boolean done = docker.execStartCmd(execId).exec(callback).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!done) {
				callback.close();
				// a hung dockerd stops relaying the output too: that says so, where the line below would blame the command
				docker.pingCmd().exec();
				throw new ProbeOutputException("'" + DockerRun.join(argv) + "' did not finish within " + timeout.toSeconds() + " s");
			}
			InspectExecResponse state = docker.inspectExecCmd(execId).exec();
			for (int i = 0; i < 50 && Boolean.TRUE.equals(state.isRunning()); i++) {
				Thread.sleep(10);
				state = docker.inspectExecCmd(execId).exec();
			}
			Long code = state.getExitCodeLong();
			return new ExecResult(code == null ? -1 : code, out.toString(StandardCharsets.UTF_8),
					err.toString(StandardCharsets.UTF_8), (System.nanoTime() - start) / 1e9);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ProbeOutputException("interrupted while running '" + DockerRun.join(argv) + "'", e);
		}
		catch (IOException e) {
			throw new ProbeOutputException("lost the output of '" + DockerRun.join(argv) + "'", e);
		}
	}

	@Override
	public void removeContainer(String id) {
		try {
			docker.removeContainerCmd(id).withForce(true).exec();
		}
		catch (NotFoundException gone) {
			// already gone
		}
	}

	@Override
	public void createVolume(String name, Map<String, String> labels) {
		docker.createVolumeCmd().withName(name).withLabels(labels).exec();
	}

	@Override
	public void removeVolume(String name) {
		try {
			docker.removeVolumeCmd(name).exec();
		}
		catch (NotFoundException gone) {
			// already gone
		}
	}

	@Override
	public String commit(String containerId, String repository, String tag) {
		return docker.commitCmd(containerId).withRepository(repository).withTag(tag).exec();
	}

	@Override
	public void removeImage(String id) {
		try {
			docker.removeImageCmd(id).withForce(true).exec();
		}
		catch (NotFoundException gone) {
			// already gone
		}
	}

	@Override
	public List<Labelled> containers(String label) {
		return docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(label)).exec().stream()
			.map(c -> new Labelled(c.getId(), c.getNames() == null ? List.of() : Arrays.asList(c.getNames()), labels(c.getLabels())))
			.toList();
	}

	@Override
	public List<Labelled> images(String label) {
		return docker.listImagesCmd().withLabelFilter(label).exec().stream()
			.map(i -> new Labelled(i.getId(), List.of(i.getId()), labels(i.getLabels())))
			.toList();
	}

	@Override
	public List<Labelled> volumes(String label) {
		var volumes = docker.listVolumesCmd().withFilter("label", List.of(label)).exec().getVolumes();
		return volumes == null ? List.of() : volumes.stream()
			.map(v -> new Labelled(v.getName(), List.of(v.getName()), labels(v.getLabels())))
			.toList();
	}

	private static Map<String, String> labels(Map<String, String> labels) {
		return labels == null ? Map.of() : labels;
	}

	@Override
	public String bridgeGateway() {
		return docker.inspectNetworkCmd().withNetworkId("bridge").exec().getIpam().getConfig().stream()
			.map(c -> c.getGateway()).filter(Objects::nonNull).filter(g -> !g.isBlank()).findFirst().orElse(null);
	}
}
