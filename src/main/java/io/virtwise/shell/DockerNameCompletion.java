package io.virtwise.shell;

import java.util.List;

import io.virtwise.docker.DockerAccess;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;

/**
 * Tab completion of container names for {@code docker show}, asked of the engine each time (so
 * new containers appear). With the engine down there are simply no proposals: completion must
 * never print an error into the line being typed. Option values go to {@link OptionValueCompletion}.
 */
public final class DockerNameCompletion implements CompletionProvider {

	public static final String BEAN = "dockerNameCompletion";

	private final DockerAccess docker;
	private final OptionValueCompletion optionValues;

	public DockerNameCompletion(DockerAccess docker, OptionValueCompletion optionValues) {
		this.docker = docker;
		this.optionValues = optionValues;
	}

	@Override
	public List<CompletionProposal> apply(CompletionContext context) {
		if (context.getCommandOption() != null) {
			return optionValues.apply(context);
		}
		String current = context.currentWordUpToCursor();
		if (current != null && current.startsWith("-")) {
			return List.of();
		}
		try {
			return docker.namesIfAvailable().stream().map(CompletionProposal::new).toList();
		}
		catch (RuntimeException e) {
			return List.of();
		}
	}
}
