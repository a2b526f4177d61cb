package io.virtwise.shell;

import io.virtwise.shell.view.Styler;
import io.virtwise.shell.view.TerminalText;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.shell.core.InputReader;

/**
 * Decides between the interactive shell and one-shot use once the context is up, and keeps the
 * exit code for {@code SpringApplication.exit}. One-shot data goes to stdout, messages to stderr.
 */
public final class ShellLauncher implements ApplicationRunner, ExitCodeGenerator {

	private static final InputReader NO_INPUT = new InputReader() {
	};

	private final LaunchOptions options;
	private final CommandRunner runner;
	private final ScriptRunner scripts;
	private final ObjectProvider<InteractiveShell> interactive;
	private final Styler styler;
	private final boolean enabled;
	private int exitCode = ExitCodes.OK;

	public ShellLauncher(LaunchOptions options, CommandRunner runner, ScriptRunner scripts,
			ObjectProvider<InteractiveShell> interactive, Styler styler, boolean enabled) {
		this.styler = styler;
		this.enabled = enabled;
		this.options = options;
		this.runner = runner;
		this.scripts = scripts;
		this.interactive = interactive;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!enabled) {
			return;
		}
		if (options.interactive()) {
			exitCode = interactive.getObject().run();
			return;
		}
		PrintWriter out = TerminalText.guard(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), styler::enabled);
		PrintWriter err = TerminalText.guard(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), styler::enabled);
		List<String> words = options.commandWords();
		Runnable restoreCtrlC = interruptOnCtrlC(Thread.currentThread());
		try {
			if (words.size() == 1 && words.get(0).startsWith("@")) {
				exitCode = scripts.run(Path.of(words.get(0).substring(1)), out, err, NO_INPUT);
			}
			else {
				exitCode = runner.runWords(words, out, err, NO_INPUT);
			}
		}
		catch (VirtwiseException e) {
			err.println("virtwise: " + e.getMessage());
			exitCode = e.exitCode();
		}
		finally {
			restoreCtrlC.run();
			Thread.interrupted(); // a Ctrl-C just after the command must not interrupt the shutdown
			out.flush();
			err.flush();
		}
	}

	/**
	 * Ctrl-C in one-shot use, as in the shell: the first interrupts the command, so a probe stops,
	 * removes what it created and says so; a second one exits at once (the cleanup hooks still run).
	 * Returns what puts the previous handling back.
	 */
	private static Runnable interruptOnCtrlC(Thread command) {
		AtomicBoolean pressed = new AtomicBoolean();
		try {
			SignalHandler previous = Signal.handle(new Signal("INT"), signal -> {
				if (pressed.getAndSet(true)) {
					System.exit(ExitCodes.INTERRUPTED);
				}
				command.interrupt();
			});
			return () -> Signal.handle(new Signal("INT"), previous);
		}
		catch (IllegalArgumentException e) {
			return () -> {
			}; // SIGINT not ours to handle (java -Xrs): the JVM's own handling stays
		}
	}

	@Override
	public int getExitCode() {
		return exitCode;
	}
}
