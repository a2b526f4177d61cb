package io.virtwise.shell;

import io.virtwise.gather.FactsGatherer;
import java.io.IOException;
import java.nio.file.Path;

import io.virtwise.importer.FactsImporter;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import io.virtwise.facts.FactsJson;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.stereotype.Component;

@Component
public class FactsCommands {

	private final FactsGatherer gatherer;

	public FactsCommands(FactsGatherer gatherer) {
		this.gatherer = gatherer;
	}

	@Command(name = "facts export", group = "Advise", description = "Write this host's facts to a JSON file",
			help = "Usage: facts export FILE. The file feeds 'advise --facts FILE' on any machine, so advice can be "
					+ "computed off-host. Writes the facts the last 'advise' used, or gathers them now.",
			completionProvider = OptionValueCompletion.BEAN)
	public String export(@Argument(index = 0, description = "the JSON file to write") String file) throws IOException {
		if (file == null || file.isBlank()) {
			throw VirtwiseException.usage("facts export needs a file name: facts export FILE");
		}
		// through the facts reader, which redacts: an export holds what the screen and a session would
		Facts facts;
		try {
			facts = FactsJson.parse(FactsJson.write(gatherer.lastOrGather()), "the facts");
		}
		catch (FactsFileException e) {
			throw new IllegalStateException("facts could not be read back: " + e.getMessage(), e);
		}
		Path target = Path.of(file);
		FactsJson.writeFile(facts, target);
		return "Wrote facts (schema " + facts.schemaVersion() + ", " + FactsImporter.count(facts.containers().size(), "container")
				+ ", " + FactsImporter.count(facts.guests().size(), "guest") + ", "
				+ FactsImporter.count(facts.probes().size(), "probe result") + ") to "
				+ target.toAbsolutePath() + ".";
	}
}
