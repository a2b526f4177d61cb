package io.virtwise.shell;

import io.virtwise.shell.view.DockerView;
import io.virtwise.shell.view.Styler;
import java.util.Map;
import java.util.Set;

import io.virtwise.docker.inspect.DockerAccess;
import io.virtwise.host.HostInspector;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.jline.CommandCompleter;

/**
 * Wires the Docker engine in: one lazily connected access per session (--docker URI, else
 * DOCKER_HOST, else the default socket), so the shell starts and host commands work with no
 * engine at all.
 */
@Configuration(proxyBeanMethods = false)
public class DockerShellConfiguration {

	@Bean(destroyMethod = "close")
	DockerAccess dockerAccess(LaunchOptions options) {
		return new DockerAccess(options.dockerHost());
	}

	@Bean(NameCompletion.CONTAINERS)
	NameCompletion containerNameCompletion(DockerAccess docker, OptionValueCompletion optionValues) {
		return new NameCompletion(docker::namesIfAvailable, Set.of("container"), Map.of("docker show", 0), optionValues);
	}

	/** So a half-typed name completes too ({@code docker show we<Tab>}), not only an empty word. */
	@Bean
	@Primary
	CommandCompleter argumentCompleter(CommandRegistry registry) {
		return new ArgumentCompleter(registry);
	}

	@Bean
	DockerView dockerView(Styler styler) {
		return new DockerView(styler);
	}
}
