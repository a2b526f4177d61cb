package io.virtwise.shell;

import io.virtwise.shell.view.AdviceView;
import io.virtwise.shell.view.HostView;
import io.virtwise.shell.view.Styler;
import io.virtwise.gather.FactsGatherer;
import io.virtwise.kvm.inspect.KvmInspectorFactory;
import io.virtwise.session.SessionRecorder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.virtwise.advice.rules.RuleBaseCache;
import io.virtwise.advice.rules.RuleBaseService;
import io.virtwise.docker.inspect.DockerAccess;
import io.virtwise.probe.core.ProbeResults;
import io.virtwise.session.SessionStore;
import io.virtwise.host.HostInspector;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.stereotype.Component;

/** Wires the stages together: inspectors and the rule base below, the shell's runners on top. */
@Configuration(proxyBeanMethods = false)
public class ShellConfiguration {

	/** Set by main from the command line; tests and embedders get the defaults. */
	@Bean
	@ConditionalOnMissingBean
	LaunchOptions defaultLaunchOptions() {
		return LaunchOptions.parse(new String[0]);
	}

	@Bean
	Styler styler(LaunchOptions options) {
		// One-shot output is coloured only when stdout is a terminal; the prompt decides again below.
		boolean tty = System.console() != null && !"dumb".equals(System.getenv("TERM"));
		return new Styler(!options.noColor() && tty);
	}

	@Bean
	CommandOutcome commandOutcome() {
		return new CommandOutcome();
	}

	/** Also Spring Shell's CommandParser, so its test client parses as the shell does. */
	@Bean
	VirtwiseCommandParser commandParser(CommandRegistry registry, ApplicationContext context) {
		// the @Component classes holding @Command methods, for the argument words each takes
		List<Class<?>> components = Arrays.stream(context.getBeanNamesForAnnotation(Component.class))
			.<Class<?>>map(context::getType).filter(Objects::nonNull).toList();
		return new VirtwiseCommandParser(registry, VirtwiseCommandParser.argumentsOf(components));
	}

	/** Spring Shell's own help is switched off (spring.shell.command.help.enabled) for this one. */
	@Bean
	HelpCommand helpCommand(VirtwiseCommandParser parser) {
		return new HelpCommand(parser.arguments());
	}

	@Bean
	CommandRunner commandRunner(CommandRegistry registry, VirtwiseCommandParser parser, CommandOutcome outcome,
			LaunchOptions options) {
		return new CommandRunner(registry, parser, outcome, options.debug());
	}

	@Bean
	ScriptRunner scriptRunner(CommandRunner runner) {
		return new ScriptRunner(runner);
	}

	@Bean
	OptionValueCompletion optionValueCompletion() {
		return new OptionValueCompletion();
	}

	@Bean
	RuleBaseService ruleBaseService(LaunchOptions options) {
		return new RuleBaseService(options.rulesDir(), new RuleBaseCache(UserDirectory.ruleCache()));
	}

	/**
	 * JLine's history, as Spring Shell would make it; declared here so its own history configuration,
	 * a class it proxies with CGLIB at every start, stays out. It keeps typed lines redacted.
	 */
	@Bean
	History history() {
		// checks the file before JLine reads it (a FIFO, a huge or a non-UTF-8 file is set aside) and redacts what it keeps
		return HistoryFile.guarded();
	}

	@Bean
	HostInspector hostInspector() {
		return HostInspector.live();
	}

	/** Host facts always; containers and guests whenever their daemons answer. */
	@Bean
	FactsGatherer factsGatherer(HostInspector hostInspector, DockerAccess docker, KvmInspectorFactory kvm,
			ProbeResults probes) {
		return new FactsGatherer(hostInspector, docker, () -> Optional.of(kvm.forUri(null).inspect()), probes::latest);
	}

	@Bean
	HostView hostView(Styler styler) {
		return new HostView(styler);
	}

	@Bean
	AdviceView adviceView(Styler styler) {
		return new AdviceView(styler);
	}

	@Bean
	SessionStore sessionStore(LaunchOptions options) {
		return new SessionStore(options.sessionsFolder(System.getProperty("virtwise.sessions"),
				System.getenv("VIRTWISE_SESSIONS"), UserDirectory.current()));
	}

	@Bean(destroyMethod = "close")
	SessionRecorder sessionRecorder(SessionStore store, RuleBaseService rules) {
		return new SessionRecorder(store.folder(), () -> rules.get().contentHash(), version());
	}

	@Bean
	SessionReplayer sessionReplayer(CommandRunner runner, FactsGatherer gatherer, RuleBaseService rules) {
		return new SessionReplayer(runner, gatherer, rules);
	}

	@Bean
	InteractiveShell interactiveShell(LineReader reader, CommandRunner runner, Styler styler, LaunchOptions options,
			SessionRecorder recorder, CommandOutcome outcome) {
		String term = reader.getTerminal().getType();
		styler.setEnabled(!options.noColor() && term != null && !term.startsWith("dumb"));
		return new InteractiveShell(reader, runner, styler, version(), recorder, outcome);
	}

	static String version() {
		String version = ShellConfiguration.class.getPackage().getImplementationVersion();
		return version == null ? "dev" : version;
	}

	/**
	 * Always present, so Spring Shell's own runner (which would start its own prompt) stays out;
	 * tests switch it off with virtwise.launcher.enabled=false and drive commands themselves.
	 */
	@Bean
	ShellLauncher shellLauncher(LaunchOptions options, CommandRunner runner, ScriptRunner scripts,
			org.springframework.beans.factory.ObjectProvider<InteractiveShell> interactive, Styler styler,
			@Value("${virtwise.launcher.enabled:true}") boolean enabled) {
		return new ShellLauncher(options, runner, scripts, interactive, styler, enabled);
	}
}
