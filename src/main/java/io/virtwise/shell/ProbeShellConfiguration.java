package io.virtwise.shell;

import io.virtwise.shell.view.ProbeView;
import io.virtwise.shell.view.Styler;
import io.virtwise.docker.inspect.DockerConnector;
import io.virtwise.probe.docker.DockerProbe;
import io.virtwise.probe.core.ProbeResults;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the probe stage into the shell: the probe runner, its result holder and its view. */
@Configuration(proxyBeanMethods = false)
public class ProbeShellConfiguration {

	/** The session's latest probe results, for {@code advise} and {@code facts export} to include. */
	@Bean
	ProbeResults probeResults() {
		return new ProbeResults();
	}

	/** Probes the engine every Docker command of this session uses: --docker URI, else DOCKER_HOST, else the socket. */
	@Bean
	DockerProbe dockerProbe(LaunchOptions options) {
		String host = options.dockerHost();
		// host directories can only be bind-mounted when the engine runs on this machine
		boolean local = DockerConnector.resolveHost(host).startsWith("unix://");
		return new DockerProbe(ignored -> DockerConnector.connect(host), local);
	}

	@Bean
	ProbeView probeView(Styler styler) {
		return new ProbeView(styler);
	}
}
