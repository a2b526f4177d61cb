package io.virtwise;

import io.virtwise.advice.rules.RuleBaseCache;
import io.virtwise.advice.rules.RuleBaseService;
import io.virtwise.shell.ExitCodes;
import io.virtwise.shell.LaunchOptions;
import io.virtwise.shell.UserDirectory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * virtwise: why is this container or VM slower than bare metal, and what exactly should I change?
 * With no arguments, an interactive shell; with a command, runs it and exits with its status.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class VirtwiseApplication {

	public static void main(String[] args) {
		LaunchOptions options = LaunchOptions.parse(args);
		// Bind logging before the rule-base thread logs anything, or SLF4J replays those calls noisily.
		org.slf4j.LoggerFactory.getILoggerFactory();
		// logback.xml has configured logging already: Spring Boot would reset it and read the file again
		System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
		if (options.debug()) {
			((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.virtwise")).setLevel(ch.qos.logback.classic.Level.DEBUG);
		}
		// Spring Shell builds its parameter validator (Hibernate Validator) on the main thread: start it on another now
		warmUp("org.springframework.shell.core.utils.Utils");
		// Drools compiles the rules while Spring starts: the two overlap on a 2-core machine.
		RuleBaseService.preload(options.rulesDir(), new RuleBaseCache(UserDirectory.ruleCache()), !options.singleCommand());
		int code;
		try {
			ConfigurableApplicationContext context = application(options).run(springArguments(args));
			code = SpringApplication.exit(context);
		}
		catch (RuntimeException e) {
			System.err.println("virtwise: could not start: " + io.virtwise.redact.Redactor.redact(e.getMessage()));
			if (options.debug()) {
				e.printStackTrace();
			}
			code = ExitCodes.INTERNAL;
		}
		System.exit(code);
	}

	public static SpringApplication application(LaunchOptions options) {
		SpringApplication application = new SpringApplication(VirtwiseApplication.class);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.addInitializers(context -> context.getBeanFactory().registerSingleton("launchOptions", options));
		java.util.Map<String, Object> defaults = new java.util.HashMap<>();
		defaults.put("virtwise.user-dir", UserDirectory.current().toString());
		if (options.debug()) {
			defaults.put("logging.level.io.virtwise", "DEBUG");
		}
		application.setDefaultProperties(defaults);
		return application;
	}

	/** Initialises a class on a daemon thread; whoever needs it first waits only for the rest of its initialisation. */
	private static void warmUp(String className) {
		Thread thread = new Thread(() -> {
			try {
				Class.forName(className, true, VirtwiseApplication.class.getClassLoader());
			}
			catch (ClassNotFoundException | LinkageError e) {
				// the thread that needs it for real reports the failure
			}
		}, "virtwise-warm-up");
		thread.setDaemon(true);
		thread.start();
	}

	/** Only Spring's own --spring.* properties go to Spring; command options stay ours. */
	private static String[] springArguments(String[] args) {
		return java.util.Arrays.stream(args).filter(a -> a.startsWith("--spring.")).toArray(String[]::new);
	}
}
