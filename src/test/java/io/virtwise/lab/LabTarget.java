package io.virtwise.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import io.virtwise.probe.core.ProbeOptions;

/**
 * A stand-in for a user's container: not labelled as a probe object (so no sweep may touch
 * it), with a port published on 127.0.0.1, a named volume and a bind mount.
 */
final class LabTarget implements AutoCloseable {

	static final Map<String, String> LABELS = Map.of("io.virtwise.test", "probe-target");

	final DockerClient docker;
	final String name;
	final String id;
	final String volume;
	final Path bindDir;

	LabTarget(DockerClient docker) throws IOException {
		this.docker = docker;
		String suffix = Long.toString(System.nanoTime(), 36);
		this.name = "vwit-target-" + suffix;
		this.volume = "vwit-data-" + suffix;
		this.bindDir = Files.createTempDirectory(Path.of("/var/tmp"), "vwit-bind-");
		docker.createVolumeCmd().withName(volume).withLabels(LABELS).exec();
		Ports ports = new Ports();
		ports.bind(ExposedPort.tcp(8080), Ports.Binding.bindIp("127.0.0.1"));
		this.id = docker.createContainerCmd(ProbeOptions.IMAGE).withName(name).withLabels(LABELS)
			.withCmd("sleep", "infinity").withExposedPorts(ExposedPort.tcp(8080))
			.withHostConfig(HostConfig.newHostConfig().withPortBindings(ports)
				.withBinds(List.of(Bind.parse(volume + ":/data"), Bind.parse(bindDir + ":/config"))))
			.exec().getId();
		docker.startContainerCmd(id).exec();
	}

	@Override
	public void close() throws IOException {
		try {
			docker.removeContainerCmd(id).withForce(true).exec();
			docker.removeVolumeCmd(volume).exec();
		}
		finally {
			try (var files = Files.walk(bindDir)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}
}
