package io.virtwise.shell;

import java.util.List;

import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;

/** Tab completion of domain names for {@code kvm show}; no proposals when libvirtd is down. */
public final class KvmDomainCompletion implements CompletionProvider {

	public static final String BEAN = "kvmDomainCompletion";

	private final KvmInspectorFactory inspectors;
	private final OptionValueCompletion options;

	public KvmDomainCompletion(KvmInspectorFactory inspectors, OptionValueCompletion options) {
		this.inspectors = inspectors;
		this.options = options;
	}

	@Override
	public List<CompletionProposal> apply(CompletionContext context) {
		if (context.getCommandOption() != null) {
			return options.apply(context);
		}
		String current = context.currentWordUpToCursor();
		if (current != null && current.startsWith("-")) {
			return List.of();
		}
		return inspectors.forUri(null).domainNames().stream().map(CompletionProposal::new).toList();
	}
}
