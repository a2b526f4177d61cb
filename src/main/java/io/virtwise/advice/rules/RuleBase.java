package io.virtwise.advice.rules;

import io.virtwise.advice.AdviceSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.drl.parser.ParserError;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.io.ResourceFactory;

/**
 * The compiled rules of one folder of {@code *.drl} files. Built with the classic Drools
 * engine at run time, so users can edit the rules and reload them without rebuilding virtwise.
 */
public final class RuleBase {

	private final Path folder;
	private final String contentHash;
	private final KieBase kieBase;
	private final List<RuleInfo> rules;
	private final Map<String, RuleInfo> byName = new HashMap<>();
	private final boolean fromCache;

	private RuleBase(Path folder, String contentHash, KieBase kieBase, List<RuleInfo> rules, boolean fromCache) {
		this.folder = folder;
		this.fromCache = fromCache;
		this.contentHash = contentHash;
		this.kieBase = kieBase;
		this.rules = rules;
		rules.forEach(r -> byName.putIfAbsent(r.name(), r));
	}

	/**
	 * Every rule reports through the {@code advice} global, which the engine sets before any rule
	 * fires: without its declaration that fails as "Unexpected global [advice]", so say what is missing.
	 */
	static void requireAdviceGlobal(Path folder, Collection<KiePackage> packages) throws RuleBaseException {
		String wanted = AdviceSink.class.getName();
		String declared = null;
		for (KiePackage pkg : packages) {
			for (org.kie.api.definition.rule.Global global : pkg.getGlobalVariables()) {
				if (global.getName().equals("advice")) {
					if (global.getType().equals(wanted)) {
						return;
					}
					declared = global.getType();
				}
			}
		}
		throw new RuleBaseException("rules in " + folder + " are refused: " + (declared == null
				? "no rule file declares 'global " + wanted + " advice;', through which every rule reports"
				: "the global 'advice' is declared as " + declared + ", not " + wanted), List.of());
	}

	public static RuleBase load(Path folder) throws RuleBaseException {
		return load(folder, null);
	}

	/** With a cache, unchanged rules are read back compiled instead of compiled again; null for none. */
	public static RuleBase load(Path folder, RuleBaseCache cache) throws RuleBaseException {
		List<Path> files = listRuleFiles(folder);
		Map<String, byte[]> contents = new LinkedHashMap<>();
		MessageDigest digest = sha256();
		Map<String, Map<String, Integer>> ruleLines = new HashMap<>();
		List<RuleProblem> forbidden = new ArrayList<>();
		for (Path file : files) {
			byte[] content;
			try {
				content = Files.readAllBytes(file);
			}
			catch (IOException e) {
				throw new RuleBaseException("cannot read rule file " + file,
						List.of(new RuleProblem(file.getFileName().toString(), 0, 0, e.getMessage())));
			}
			String name = file.getFileName().toString();
			digest.update(name.getBytes(StandardCharsets.UTF_8));
			digest.update(content);
			DrlSource source = new DrlSource(new String(content, StandardCharsets.UTF_8));
			ruleLines.put(name, source.ruleLines());
			for (DrlSource.Forbidden call : source.forbiddenCalls()) {
				forbidden.add(new RuleProblem(name, call.line(), 0, (call.rule().isEmpty() ? "" : "rule \"" + call.rule() + "\" ")
						+ "uses " + call.call() + ": a rule may not end virtwise, start programs or threads, or use reflection"));
			}
			contents.put(name, content);
		}
		if (!forbidden.isEmpty()) {
			throw new RuleBaseException("rules in " + folder + " are refused", forbidden);
		}
		String contentHash = HexFormat.of().formatHex(digest.digest());
		String key = cache == null ? null : RuleBaseCache.key(contentHash);
		InternalKnowledgeBase kieBase = KnowledgeBaseFactory.newKnowledgeBase(
				KieServices.get().newKieBaseConfiguration(new Properties(), KnownMissingClassLoader.INSTANCE));
		Optional<Collection<KiePackage>> cached = cache == null ? Optional.empty() : cache.read(key, kieBase.getRootClassLoader());
		Collection<KiePackage> packages = cached.isPresent() ? cached.get() : compile(folder, contents);
		if (cache != null && cached.isEmpty()) {
			cache.write(key, packages);
		}
		kieBase.addPackages(packages);
		requireAdviceGlobal(folder, kieBase.getKiePackages());
		List<RuleInfo> rules = new ArrayList<>();
		for (KiePackage pkg : kieBase.getKiePackages()) {
			for (Rule rule : pkg.getRules()) {
				String file = sourceOf(rule);
				rules.add(new RuleInfo(rule.getName(), file, ruleLines.getOrDefault(file, Map.of()).getOrDefault(rule.getName(), 0)));
			}
		}
		rules.sort(Comparator.comparing(RuleInfo::file).thenComparing(RuleInfo::name));
		return new RuleBase(folder, contentHash, kieBase, List.copyOf(rules), cached.isPresent());
	}

	private static Collection<KiePackage> compile(Path folder, Map<String, byte[]> contents) throws RuleBaseException {
		KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder(
				KnowledgeBuilderFactory.newKnowledgeBuilderConfiguration(KnownMissingClassLoader.INSTANCE));
		contents.forEach((name, content) -> builder.add(ResourceFactory.newByteArrayResource(content).setSourcePath(name),
				ResourceType.DRL));
		if (builder.hasErrors()) {
			List<RuleProblem> problems = new ArrayList<>();
			for (KnowledgeBuilderResult error : builder.getErrors()) {
				problems.add(toProblem(error));
			}
			// A parse error also yields an unlocated "Parser returned a null Package": keep the located one.
			problems.removeIf(p -> p.line() == 0 && problems.stream().anyMatch(q -> q.file().equals(p.file()) && q.line() > 0));
			throw new RuleBaseException("rules in " + folder + " do not compile", problems);
		}
		return builder.getKnowledgePackages();
	}

	private static List<Path> listRuleFiles(Path folder) throws RuleBaseException {
		if (!Files.isDirectory(folder)) {
			throw new RuleBaseException("rules folder " + folder + " does not exist or is not a folder (use --rules DIR)",
					List.of());
		}
		try (Stream<Path> entries = Files.list(folder)) {
			List<Path> files = entries.filter(p -> p.getFileName().toString().endsWith(".drl"))
				.filter(Files::isRegularFile)
				.sorted()
				.toList();
			if (files.isEmpty()) {
				throw new RuleBaseException("rules folder " + folder + " holds no *.drl file", List.of());
			}
			return files;
		}
		catch (NoSuchFileException e) {
			throw new RuleBaseException("rules folder " + folder + " does not exist", List.of());
		}
		catch (IOException e) {
			throw new RuleBaseException("cannot list rules folder " + folder + ": " + e.getMessage(), List.of());
		}
	}

	private static RuleProblem toProblem(KnowledgeBuilderResult error) {
		String file = error.getResource() != null && error.getResource().getSourcePath() != null
				? error.getResource().getSourcePath() : "?";
		int line = 0;
		int column = 0;
		if (error instanceof ParserError parserError) {
			line = parserError.getRow();
			column = parserError.getCol();
		}
		else if (error.getLines() != null && error.getLines().length > 0) {
			line = error.getLines()[0];
		}
		String message = error.getMessage() == null ? "" : error.getMessage().strip().replaceAll("\\s+", " ");
		return new RuleProblem(file, line, column, message);
	}

	private static String sourceOf(Rule rule) {
		if (rule instanceof RuleImpl impl && impl.getResource() != null && impl.getResource().getSourcePath() != null) {
			return impl.getResource().getSourcePath();
		}
		return "?";
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	public Path folder() {
		return folder;
	}

	/** SHA-256 over the rule files' names and contents: identifies the advice a session was given. */
	public String contentHash() {
		return contentHash;
	}

	/** Whether the compiled rules were read back from the cache rather than compiled. */
	public boolean fromCache() {
		return fromCache;
	}

	public KieBase kieBase() {
		return kieBase;
	}

	public List<RuleInfo> rules() {
		return rules;
	}

	public String fileOf(String ruleName) {
		RuleInfo rule = byName.get(ruleName);
		return rule == null ? "?" : rule.file();
	}

	/** The rule of this name, or one of unknown file and line. */
	public RuleInfo rule(String ruleName) {
		RuleInfo rule = byName.get(ruleName);
		return rule != null ? rule : new RuleInfo(ruleName, "?", 0);
	}
}
