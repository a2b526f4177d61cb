package io.virtwise.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the process was started with: global options (which come before the command) and the
 * command words of one-shot use. Empty command words mean the interactive shell.
 */
public record LaunchOptions(Path home, Path rulesDir, boolean debug, boolean noColor, List<String> commandWords,
		String dockerHost, String libvirtUri, Path sessionsDir) {

	public LaunchOptions {
		commandWords = List.copyOf(commandWords);
	}

	/** Without {@code --sessions}: the sessions folder is found by {@link #sessionsFolder}'s rule. */
	public LaunchOptions(Path home, Path rulesDir, boolean debug, boolean noColor, List<String> commandWords,
			String dockerHost, String libvirtUri) {
		this(home, rulesDir, debug, noColor, commandWords, dockerHost, libvirtUri, null);
	}

	/** Without {@code --libvirt}: libvirt is found through LIBVIRT_DEFAULT_URI or qemu:///system. */
	public LaunchOptions(Path home, Path rulesDir, boolean debug, boolean noColor, List<String> commandWords,
			String dockerHost) {
		this(home, rulesDir, debug, noColor, commandWords, dockerHost, null);
	}

	/** Without {@code --docker}: the engine is found through DOCKER_HOST or the default socket. */
	public LaunchOptions(Path home, Path rulesDir, boolean debug, boolean noColor, List<String> commandWords) {
		this(home, rulesDir, debug, noColor, commandWords, null);
	}

	/** One command from the command line, not the shell and not a script: nothing runs before or after it. */
	public boolean singleCommand() {
		return !interactive() && !(commandWords.size() == 1 && commandWords.get(0).startsWith("@"))
				&& !commandWords.get(0).equals("script");
	}

	public boolean interactive() {
		return commandWords.isEmpty();
	}

	/**
	 * Where sessions are recorded and looked up: {@code --sessions DIR}, else the {@code virtwise.sessions}
	 * property, else {@code VIRTWISE_SESSIONS}, else {@code sessions/} of the source checkout virtwise
	 * runs from (beside the shipped examples), else the user's own directory: an installed copy must
	 * not write into its install folder or wherever it was started.
	 */
	public Path sessionsFolder(String property, String environment, Path userDirectory) {
		if (sessionsDir != null) {
			return sessionsDir;
		}
		for (String configured : new String[] {property, environment}) {
			if (configured != null && !configured.isBlank()) {
				return Path.of(configured).toAbsolutePath().normalize();
			}
		}
		return isSourceCheckout(home) ? home.resolve("sessions") : userDirectory.resolve("sessions");
	}

	/** A checkout holds the launcher script and the build beside each other; an installed jar's folder does not. */
	static boolean isSourceCheckout(Path home) {
		return Files.isRegularFile(home.resolve("pom.xml")) && Files.isRegularFile(home.resolve("virtwise"));
	}

	/**
	 * Reads {@code [--rules DIR] [--sessions DIR] [--docker URI] [--libvirt URI] [--debug] [--no-color] [command words...]}. The home folder
	 * (where {@code rules/} and {@code sessions/} live) comes from {@code virtwise.home}, set by
	 * the launcher script, or is the working directory.
	 */
	public static LaunchOptions parse(String[] args) {
		Path home = Path.of(System.getProperty("virtwise.home", ".")).toAbsolutePath().normalize();
		Path rules = null;
		Path sessions = null;
		String docker = null;
		String libvirt = null;
		boolean debug = false;
		boolean noColor = System.getenv("NO_COLOR") != null;
		List<String> words = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!words.isEmpty()) {
				words.add(arg);
			}
			else if (arg.equals("--debug")) {
				debug = true;
			}
			else if (arg.equals("--no-color")) {
				noColor = true;
			}
			else if (arg.equals("--rules") && i + 1 < args.length) {
				rules = Path.of(args[++i]);
			}
			else if (arg.startsWith("--rules=")) {
				rules = Path.of(arg.substring("--rules=".length()));
			}
			else if (arg.equals("--sessions") && i + 1 < args.length) {
				sessions = Path.of(args[++i]);
			}
			else if (arg.startsWith("--sessions=")) {
				sessions = Path.of(arg.substring("--sessions=".length()));
			}
			else if (arg.equals("--docker") && i + 1 < args.length) {
				docker = args[++i];
			}
			else if (arg.startsWith("--docker=")) {
				docker = arg.substring("--docker=".length());
			}
			else if (arg.equals("--libvirt") && i + 1 < args.length) {
				libvirt = args[++i];
			}
			else if (arg.startsWith("--libvirt=")) {
				libvirt = arg.substring("--libvirt=".length());
			}
			else if (arg.startsWith("--spring.")) {
				// Spring Boot's own command-line properties; left to Spring.
			}
			else {
				words.add(arg);
			}
		}
		// --debug, --docker and --libvirt may also follow the command, as users tend to type them
		// (after a kvm command, --libvirt means the same as that command's own option).
		for (int i = 0; i < words.size(); i++) {
			if (words.get(i).equals("--debug")) {
				debug = true;
				words.remove(i--);
			}
			else if (words.get(i).equals("--docker") && i + 1 < words.size()) {
				docker = words.get(i + 1);
				words.subList(i, i + 2).clear();
				i--;
			}
			else if (words.get(i).startsWith("--docker=")) {
				docker = words.get(i).substring("--docker=".length());
				words.remove(i--);
			}
			else if (words.get(i).equals("--libvirt") && i + 1 < words.size()) {
				libvirt = words.get(i + 1);
				words.subList(i, i + 2).clear();
				i--;
			}
			else if (words.get(i).startsWith("--libvirt=")) {
				libvirt = words.get(i).substring("--libvirt=".length());
				words.remove(i--);
			}
		}
		if (rules == null) {
			rules = home.resolve("rules");
		}
		return new LaunchOptions(home, rules.toAbsolutePath().normalize(), debug, noColor, words,
				docker == null || docker.isBlank() ? null : docker, libvirt == null || libvirt.isBlank() ? null : libvirt,
				sessions == null ? null : sessions.toAbsolutePath().normalize());
	}
}
