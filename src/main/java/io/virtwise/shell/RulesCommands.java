package io.virtwise.shell;

import io.virtwise.shell.view.MarkdownTable;
import io.virtwise.shell.view.OutputFormat;
import io.virtwise.shell.view.Styler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleBaseException;
import io.virtwise.advice.rules.RuleBaseService;
import io.virtwise.advice.rules.RuleInfo;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

@Component
public class RulesCommands {

	private final RuleBaseService rules;
	private final Styler styler;

	public RulesCommands(RuleBaseService rules, Styler styler) {
		this.rules = rules;
		this.styler = styler;
	}

	@Command(name = "rules", group = "Advise", description = "List the loaded rules and the files they come from",
			help = "The rule base is the *.drl files of the rules folder (--rules DIR at start-up to point elsewhere).",
			completionProvider = OptionValueCompletion.BEAN)
	public String list(@Option(longName = "format", description = OutputFormat.TEXT_JSON_OR_MARKDOWN, defaultValue = "text") String format)
			throws RuleBaseException {
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN);
		RuleBase ruleBase = rules.get();
		return switch (chosen) {
			case JSON -> json(ruleBase);
			case MARKDOWN -> markdown(ruleBase);
			default -> describe(ruleBase);
		};
	}

	@Command(name = "rules reload", group = "Advise", description = "Rebuild the rule base from the rules folder",
			help = "On a compile error, prints file:line:column and keeps the rule base already loaded.")
	public String reload() throws RuleBaseException {
		RuleBase fresh = rules.reload();
		return "Reloaded " + fresh.rules().size() + " rules from " + fresh.folder() + " (rules "
				+ fresh.contentHash().substring(0, 12) + ").";
	}

	/** The rules in the order the text shows them: by file, then as declared. */
	static String json(RuleBase ruleBase) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("folder", ruleBase.folder().toString());
		document.put("rulesHash", ruleBase.contentHash());
		document.put("rules", byFile(ruleBase).values().stream().flatMap(List::stream).toList());
		return OutputFormat.json(document);
	}

	static String markdown(RuleBase ruleBase) {
		List<List<String>> rows = byFile(ruleBase).values().stream().flatMap(List::stream)
			.map(rule -> List.of(rule.file(), rule.name(), String.valueOf(rule.line()))).toList();
		return MarkdownTable.of(List.of("file", "rule", "line"), rows) + "\n\n" + ruleBase.rules().size() + " rules from "
				+ ruleBase.folder() + " (rules " + ruleBase.contentHash().substring(0, 12) + ").";
	}

	private static Map<String, List<RuleInfo>> byFile(RuleBase ruleBase) {
		return new TreeMap<>(ruleBase.rules().stream().collect(Collectors.groupingBy(RuleInfo::file)));
	}

	private String describe(RuleBase ruleBase) {
		Map<String, List<RuleInfo>> byFile = byFile(ruleBase);
		StringBuilder out = new StringBuilder();
		byFile.forEach((file, list) -> {
			out.append(styler.bold(file)).append('\n');
			list.forEach(rule -> out.append("  ").append(rule.name()).append('\n'));
		});
		out.append(ruleBase.rules().size()).append(" rules in ").append(byFile.size()).append(" files from ")
			.append(ruleBase.folder()).append(" (rules ").append(ruleBase.contentHash(), 0, 12).append(").");
		return out.toString();
	}
}
