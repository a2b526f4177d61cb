package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.virtwise.docker.inspect.DockerAccess;
import io.virtwise.docker.inspect.HungEngine;
import org.junit.jupiter.api.Test;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandRegistry;

/**
 * Name completion through the shell's completer, on commands shaped like the real ones (same
 * names, options and flags) and fixed names: option values, positional slots, and where no
 * name belongs.
 */
class NameCompletionTest {

	final AtomicInteger asked = new AtomicInteger();
	final OptionValueCompletion others = new OptionValueCompletion();
	final NameCompletion containers = new NameCompletion(() -> List.of("web", "shop-db"), Set.of("container"),
			Map.of("docker show", 0), others);
	final NameCompletion domains = new NameCompletion(() -> {
		asked.incrementAndGet();
		return List.of("guest1", "shop-vm");
	}, Set.of("guest"), Map.of("kvm show", 0, "kvm stats", 0, "fix rollback", 0), others);
	final NameCompletion down = new NameCompletion(() -> {
		throw new IllegalStateException("engine down");
	}, Set.of("container"), Map.of("docker show", 0), others);

	final CommandRegistry registry = new CommandRegistry(Set.of(
			command("docker show", containers, value("format")),
			command("probe docker", containers, value("container"), flag("quick"), value("only"), value("format")),
			command("probe kvm", domains, value("guest"), flag("quick"), value("libvirt"), value("format")),
			command("probe kvm-cpu", domains, value("guest"), flag("quick"), value("libvirt"), value("format")),
			command("kvm show", domains, value("libvirt"), value("format")),
			command("kvm stats", domains, value("seconds"), value("libvirt"), value("format")),
			command("fix apply", domains, value("guest"), flag("yes")),
			command("fix rollback", domains)));
	final ArgumentCompleter completer = new ArgumentCompleter(registry);

	static Command command(String name, NameCompletion completion, CommandOption... options) {
		return Command.builder().name(name).completionProvider(completion).options(options).execute(c -> "");
	}

	static CommandOption value(String name) {
		return CommandOption.with().longName(name).description(name).type(String.class).build();
	}

	static CommandOption flag(String name) {
		return CommandOption.with().longName(name).description(name).type(boolean.class).build();
	}

	List<String> complete(String line) {
		return TabCompletion.complete(completer, line);
	}

	@Test
	void optionValuesThatAreNamesComplete() {
		assertThat(complete("probe docker --container ")).containsExactly("web", "shop-db");
		assertThat(complete("probe docker --quick --container sh")).containsExactly("web", "shop-db");
		assertThat(complete("probe kvm --guest ")).containsExactly("guest1", "shop-vm");
		assertThat(complete("probe kvm-cpu --quick --guest ")).containsExactly("guest1", "shop-vm");
		assertThat(complete("fix apply KVM-DISK-CACHE --guest ")).containsExactly("guest1", "shop-vm");
		assertThat(complete("fix apply KVM-DISK-CACHE --guest sh")).containsExactly("guest1", "shop-vm");
	}

	@Test
	void positionalNamesCompleteInTheirSlotOnly() {
		assertThat(complete("docker show ")).contains("web", "shop-db");
		assertThat(complete("docker show we")).containsExactly("web", "shop-db");
		assertThat(complete("kvm show --libvirt qemu:///system ")).contains("guest1", "shop-vm");
		assertThat(complete("kvm stats --seconds 5 ")).contains("guest1", "shop-vm");
		assertThat(complete("fix rollback ")).contains("guest1", "shop-vm");
		// the slot is taken, or the word is an option's value
		assertThat(complete("kvm show guest1 ")).doesNotContain("guest1", "shop-vm");
		assertThat(complete("kvm stats --seconds ")).isEmpty();
		assertThat(complete("kvm show guest1 --format ")).containsExactly("text", "json");
	}

	@Test
	void commandsWithoutANameArgumentOfferNoNames() {
		asked.set(0);
		assertThat(complete("probe kvm ")).doesNotContain("guest1", "shop-vm");
		assertThat(complete("probe kvm --quick ")).doesNotContain("guest1", "shop-vm");
		assertThat(complete("probe kvm-cpu ")).doesNotContain("guest1", "shop-vm");
		assertThat(complete("fix apply ")).doesNotContain("guest1", "shop-vm");
		assertThat(complete("fix apply KVM-DISK-CACHE ")).isEmpty();
		assertThat(complete("probe kvm --format ")).containsExactly("text", "json");
		assertThat(asked).as("libvirt is not asked where no name belongs").hasValue(0);
	}

	@Test
	void namesThatCannotBeHadAreNoProposals() {
		CommandRegistry downRegistry = new CommandRegistry(Set.of(command("docker show", down, value("format")),
				command("probe docker", down, value("container"), flag("quick"))));
		assertThat(TabCompletion.complete(new ArgumentCompleter(downRegistry), "probe docker --container ")).isEmpty();
	}

	@Test
	void aLookupThatHangsGivesNoProposalsWithinTheLimitAndIsNotStartedTwice() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger started = new AtomicInteger();
		NameCompletion hanging = new NameCompletion(context -> {
			started.incrementAndGet();
			try {
				release.await();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			return List.of("web");
		}, Set.of("container"), Map.of("docker show", 0), others, Duration.ofMillis(200));
		ArgumentCompleter hangingCompleter = new ArgumentCompleter(
				new CommandRegistry(Set.of(command("docker show", hanging, value("format")))));

		long start = System.nanoTime();
		assertThat(TabCompletion.complete(hangingCompleter, "docker show ")).doesNotContain("web");
		assertThat(TabCompletion.complete(hangingCompleter, "docker show ")).doesNotContain("web");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(started).as("the second Tab waits on the stuck lookup").hasValue(1);

		release.countDown(); // the stuck lookup ends; the next Tab has its names
		assertThat(TabCompletion.complete(hangingCompleter, "docker show ")).contains("web");
	}

	@Test
	void tabOnAHungEngineReturnsAtOnceWithNothing() throws IOException, InterruptedException {
		// the engine closes first: its dropped connections end the lookup still waiting on it
		HungEngine engine = HungEngine.onLoopback();
		try (DockerAccess access = new DockerAccess(engine.host()); engine) {
			NameCompletion completion = new NameCompletion(context -> access.namesIfAvailable(), Set.of("container"),
					Map.of("docker show", 0), others, Duration.ofMillis(300));
			ArgumentCompleter hungCompleter = new ArgumentCompleter(
					new CommandRegistry(Set.of(command("probe docker", completion, value("container")))));
			long start = System.nanoTime();
			assertThat(TabCompletion.complete(hungCompleter, "probe docker --container ")).isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			// the lookup goes on in the background (docker-java's first use loads classes for a while)
			for (int i = 0; i < 100 && engine.connections() == 0; i++) {
				Thread.sleep(100);
			}
			assertThat(engine.connections()).as("the engine was asked, and Tab did not wait for its answer").isPositive();
		}
	}

	@Test
	void theLinesOwnOptionValueIsFoundOnEitherSideOfTheCursor() {
		assertThat(NameCompletion.optionValue(List.of("kvm", "show", "--libvirt", "test:///default", ""), 4, "libvirt"))
			.isEqualTo("test:///default");
		assertThat(NameCompletion.optionValue(List.of("kvm", "show", "", "--libvirt=qemu:///session"), 2, "libvirt"))
			.isEqualTo("qemu:///session");
		assertThat(NameCompletion.optionValue(List.of("kvm", "show", "--libvirt", ""), 3, "libvirt")).isNull();
		assertThat(NameCompletion.optionValue(List.of("kvm", "show", ""), 2, "libvirt")).isNull();
	}

	@Test
	void positionalIndexSkipsOptionValuesButNotFlags() {
		Command probe = command("probe kvm", domains, value("guest"), flag("quick"));
		List<String> words = List.of("probe", "kvm", "--quick", "a", "--guest", "b", "--guest=c", "d");
		assertThat(NameCompletion.positionalIndex(probe, words, 2, 3)).isZero();
		assertThat(NameCompletion.positionalIndex(probe, words, 2, 5)).isEqualTo(-1);
		assertThat(NameCompletion.positionalIndex(probe, words, 2, 7)).isEqualTo(1);
		assertThat(NameCompletion.positionalIndex(null, List.of("x", "--", "--y", ""), 1, 3)).isEqualTo(1);
	}
}
