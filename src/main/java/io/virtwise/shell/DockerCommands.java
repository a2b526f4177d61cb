package io.virtwise.shell;

import io.virtwise.shell.view.DockerView;
import io.virtwise.shell.view.OutputFormat;
import java.util.function.Function;

import io.virtwise.docker.inspect.DockerAccess;
import io.virtwise.docker.inspect.DockerInspector;
import io.virtwise.docker.inspect.DockerUnavailableException;
import io.virtwise.facts.ContainerFacts;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

@Component
public class DockerCommands {

	private final DockerAccess docker;
	private final DockerView view;

	public DockerCommands(DockerAccess docker, DockerView view) {
		this.docker = docker;
		this.view = view;
	}

	@Command(name = "docker engine", group = "Docker", description = "Show the Docker engine's settings that matter for speed",
			help = "Version and API, storage driver and its backing filesystem, cgroup driver and version, userland "
					+ "proxy (read from dockerd's command line and daemon.json), iptables, logging driver, default "
					+ "runtime, root dir, running containers. The engine is --docker URI, else DOCKER_HOST, else "
					+ "the default socket.",
			completionProvider = OptionValueCompletion.BEAN)
	public String engine(@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format) {
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		var engine = ask(DockerInspector::engine);
		return chosen == OutputFormat.JSON ? OutputFormat.json(engine)
				: view.engine(engine, docker.host());
	}

	@Command(name = "docker ls", group = "Docker", description = "List all containers with what affects their speed",
			help = "One line per container, running or not: state, network mode, published ports and the path their "
					+ "traffic takes (docker-proxy or dnat), mounts, bytes in the writable layer, cpuset and limits.",
			completionProvider = OptionValueCompletion.BEAN)
	public String list(@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format) {
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		var containers = ask(DockerInspector::containers);
		return chosen == OutputFormat.JSON ? OutputFormat.json(containers) : view.list(containers);
	}

	@Command(name = "docker show", group = "Docker", description = "Show one container in full, with its docker run line",
			help = "Usage: docker show NAME (Tab completes names). Everything 'docker ls' shows and more, plus the "
					+ "container's own 'docker run' line rebuilt from its inspect data, environment values redacted.",
			completionProvider = NameCompletion.CONTAINERS)
	public String show(@Argument(index = 0, description = "the container's name or id") String name,
			@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format) {
		if (name == null || name.isBlank()) {
			throw VirtwiseException.usage("docker show needs a container name: docker show NAME (docker ls lists them)");
		}
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		ContainerFacts container = ask(inspector -> inspector.container(name))
			.orElseThrow(() -> new VirtwiseException(ExitCodes.USAGE, "no container named '" + name + "' (docker ls lists them)"));
		return chosen == OutputFormat.JSON ? OutputFormat.json(container) : view.show(container);
	}

	/** An engine that is down or refuses us is one line and exit 4, and the shell goes on. */
	private <T> T ask(Function<DockerInspector, T> call) {
		try {
			return docker.use(call);
		}
		catch (DockerUnavailableException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
		}
	}
}
