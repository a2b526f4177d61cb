package io.virtwise.shell;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleBaseException;
import io.virtwise.advice.rules.RuleBaseService;
import io.virtwise.advice.rules.RuleInfo;
import org.springframework.shell.core.command.annotation.Command;
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
			help = "The rule base is the *.drl files of the rules folder (--rules DIR at start-up to point elsewhere).")
	public String list() throws RuleBaseException {
		return describe(rules.get());
	}

	@Command(name = "rules reload", group = "Advise", description = "Rebuild the rule base from the rules folder",
			help = "On a compile error, prints file:line:column and keeps the rule base already loaded.")
	public String reload() throws RuleBaseException {
		RuleBase fresh = rules.reload();
		return "Reloaded " + fresh.rules().size() + " rules from " + fresh.folder() + " (rules "
				+ fresh.contentHash().substring(0, 12) + ").";
	}

	private String describe(RuleBase ruleBase) {
		Map<String, java.util.List<RuleInfo>> byFile = new TreeMap<>(
				ruleBase.rules().stream().collect(Collectors.groupingBy(RuleInfo::file)));
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
