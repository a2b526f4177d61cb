package io.virtwise.shell;

import io.virtwise.shell.view.HostView;
import io.virtwise.shell.view.OutputFormat;
import io.virtwise.gather.FactsGatherer;
import io.virtwise.facts.HostFacts;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

@Component
public class HostCommands {

	private final FactsGatherer gatherer;
	private final HostView view;
	private final CommandOutcome outcome;

	public HostCommands(FactsGatherer gatherer, HostView view, CommandOutcome outcome) {
		this.gatherer = gatherer;
		this.view = view;
		this.outcome = outcome;
	}

	@Command(name = "host", group = "Inspect", description = "Show what this host offers for virtualisation",
			help = "Reads /proc, /sys and /dev (and oshi) to show CPU topology and sibling map, NUMA nodes, caches, "
					+ "memory and huge pages, hugetlbfs, THP, CPU governor, /dev/kvm and its flavour, nesting, "
					+ "vhost-net, kernel and cgroup version, disks and NICs. Unreadable values show as unknown.",
			completionProvider = OptionValueCompletion.BEAN)
	public String host(@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format) {
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		HostFacts host = gatherer.host();
		outcome.attachFacts(io.virtwise.facts.Facts.ofHost(host, null, "host command"));
		return chosen == OutputFormat.JSON ? OutputFormat.json(host) : view.text(host);
	}
}
