package io.virtwise.shell;

import io.virtwise.gather.FactsGatherer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import io.virtwise.importer.FactsImporter;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import org.springframework.shell.core.command.annotation.Arguments;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

@Component
public class FactsImportCommands {

	private final FactsGatherer gatherer;

	public FactsImportCommands(FactsGatherer gatherer) {
		this.gatherer = gatherer;
	}

	@Command(name = "facts import", group = "Advise", description = "Read saved docker inspect, docker info, facts JSON or libvirt XML into this session",
			help = "Usage: facts import FILE... Accepts 'docker inspect' output (a JSON array of containers), "
					+ "'docker info --format {{json .}}', 'docker version --format {{json .}}', virtwise facts "
					+ "files, 'virsh dumpxml NAME' (one guest; a guest of the same name replaces the earlier one) and "
					+ "'virsh capabilities' (the KVM node), in any mix, merged into the facts imported so far; 'advise' "
					+ "and 'facts export' then use them instead of this host. Environment values and libvirt secrets "
					+ "are never kept. One bad file imports nothing. --clear forgets them and returns to live facts.",
			completionProvider = OptionValueCompletion.BEAN)
	public String importFiles(@Arguments List<String> files,
			@Option(longName = "clear", description = "forget imported facts; advise goes back to this host's live facts") boolean clear)
			throws FactsFileException {
		List<String> names = files == null ? List.of() : files.stream().filter(f -> !f.isBlank()).toList();
		if (clear) {
			gatherer.clearImported();
			if (names.isEmpty()) {
				return "Forgot the imported facts; 'advise' uses this host's live facts again.";
			}
		}
		if (names.isEmpty()) {
			throw VirtwiseException.usage("facts import needs at least one file: facts import FILE...");
		}
		Facts base = gatherer.imported().orElseGet(FactsImportCommands::empty);
		FactsImporter.Result result = FactsImporter.importFiles(base, names.stream().map(Path::of).toList());
		gatherer.setImported(result.facts(), names);
		List<String> lines = new ArrayList<>(result.summaries());
		Facts facts = result.facts();
		lines.add("Imported facts now: host " + (facts.host() == null ? "unknown" : facts.host().hostname() == null ? "(no name)" : facts.host().hostname()) + ", engine "
				+ (facts.docker() == null ? "unknown" : "Docker " + (facts.docker().version() == null ? "(version unknown)"
						: facts.docker().version()))
				+ ", " + FactsImporter.count(facts.containers().size(), "container") + ", " + FactsImporter.count(facts.guests().size(), "guest")
				+ (facts.kvmNode() == null ? "" : ", a KVM node") + "; 'advise' and 'facts export' use them "
				+ "('facts import --clear' returns to live facts).");
		return String.join("\n", lines);
	}

	/** The first import starts from nothing: another machine's files must not mix with this host. */
	private static Facts empty() {
		return new Facts(Facts.SCHEMA_VERSION, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "imported",
				null, List.of(), List.of(), List.of(), null);
	}
}
