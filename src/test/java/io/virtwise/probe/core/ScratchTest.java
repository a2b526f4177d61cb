package io.virtwise.probe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchTest {

	private final List<String> removed = new ArrayList<>();

	private Runnable removes(String what) {
		return () -> removed.add(what);
	}

	/** For any sequence of registrations (some of the same thing again): each is removed once, newest registration first. */
	@Test
	void removesEverythingOnceNewestFirst() {
		Random random = new Random(19);
		for (int round = 0; round < 200; round++) {
			List<String> model = new ArrayList<>();
			List<String> removedHere = new ArrayList<>();
			try (Scratch scratch = new Scratch(RunId.create(), "test-cleanup")) {
				for (int i = random.nextInt(20); i > 0; i--) {
					String name = "thing-" + random.nextInt(8);
					model.remove(name);
					model.add(0, name);
					scratch.add("container", name, () -> removedHere.add(name));
				}
			}
			assertThat(removedHere).containsExactlyElementsOf(model);
		}
	}

	@Test
	void aFailingRemovalDoesNotStopTheOthersAndTheRunCountsAsFinished() {
		RunId run = RunId.create();
		Scratch scratch = new Scratch(run, "test-cleanup");
		scratch.add("volume", "a", removes("a"));
		scratch.add("container", "b", () -> {
			throw new IllegalStateException("engine said no");
		});
		scratch.add("container", "c", removes("c"));
		scratch.close();
		assertThat(removed).containsExactly("c", "a");
		assertThat(RunId.create().isLeftover(run.value(), RunId.hostname(), Instant.now())).isTrue();
	}

	@Test
	void closingTwiceRemovesOnce() {
		Scratch scratch = new Scratch(RunId.create(), "test-cleanup");
		scratch.add("container", "a", removes("a"));
		scratch.close();
		scratch.close();
		assertThat(removed).containsExactly("a");
	}

	@Test
	void whatIsCreatedAfterCloseIsRemovedAtOnce() {
		Scratch scratch = new Scratch(RunId.create(), "test-cleanup");
		scratch.close();
		assertThat(scratch.add("container", "late", removes("late"))).isFalse();
		assertThat(removed).containsExactly("late");
	}

	@Test
	void registeringAgainMovesToTheNewestPlace() {
		try (Scratch scratch = new Scratch(RunId.create(), "test-cleanup")) {
			scratch.add("domain", "vm", removes("vm"));
			scratch.add("host change", "pages", removes("pages"));
			scratch.add("domain", "vm", removes("vm"));
		}
		assertThat(removed).containsExactly("vm", "pages");
	}

	@Test
	void removeNowRemovesOneAndCloseDoesNotRemoveItAgain() {
		try (Scratch scratch = new Scratch(RunId.create(), "test-cleanup")) {
			scratch.add("container", "a", removes("a"));
			scratch.add("container", "b", removes("b"));
			scratch.removeNow("container", "a");
			assertThat(removed).containsExactly("a");
		}
		assertThat(removed).containsExactly("a", "b");
	}

	@Test
	void keptThingsStayAndAreReturnedOldestFirst() {
		RunId run = RunId.create();
		Scratch scratch = new Scratch(run, "test-cleanup");
		scratch.add("container", "a", removes("a"));
		scratch.add("volume", "b", removes("b"));
		assertThat(scratch.keep()).extracting(Scratch.Item::name).containsExactly("a", "b");
		scratch.close();
		assertThat(removed).isEmpty();
		assertThat(RunId.create().isLeftover(run.value(), RunId.hostname(), Instant.now())).as("swept by the next run").isTrue();
	}

	@Test
	void closeWithAFilterLeavesTheRest() {
		Scratch scratch = new Scratch(RunId.create(), "test-cleanup");
		scratch.add("container", "a", removes("a"));
		scratch.add("directory", "d", removes("d"));
		assertThat(scratch.close(i -> i.kind().equals("directory"))).isTrue();
		assertThat(removed).containsExactly("d");
		assertThat(scratch.close(i -> true)).isFalse();
	}

	@Test
	void anInterruptedThreadStillRemovesAndStaysInterrupted() {
		Scratch scratch = new Scratch(RunId.create(), "test-cleanup");
		boolean[] interruptedDuringRemoval = { true };
		scratch.add("container", "a", () -> interruptedDuringRemoval[0] = Thread.currentThread().isInterrupted());
		Thread.currentThread().interrupt();
		scratch.close();
		assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
		assertThat(interruptedDuringRemoval[0]).isFalse();
	}

	@Test
	void leftoverDirsAreOnlyExactNamesOfDeadRuns(@TempDir Path root) throws IOException {
		RunId me = RunId.create();
		RunId live = RunId.create();
		RunId dead = RunId.create();
		dead.finished();
		Pattern name = Pattern.compile("vwprobe-([0-9a-z]{1,12}-\\d{1,10})-[a-z]+");
		Pattern anySuffix = Pattern.compile("vwprobe-(.*)");
		Files.createDirectories(root.resolve("vwprobe-db"));   // a user's, named like ours: not a run id
		assertThat(Scratch.leftoverDirs(me, root, anySuffix)).doesNotContain(root.resolve("vwprobe-db"));
		for (String dir : List.of("vwprobe-" + me.value() + "-fio", "vwprobe-" + live.value() + "-fio",
				"vwprobe-" + dead.value() + "-fio", "vwprobe-" + dead.value() + "-FIO", "vwprobe-users-own")) {
			Files.createDirectories(root.resolve(dir));
		}
		Files.writeString(root.resolve("vwprobe-" + dead.value() + "-file"), "not a directory");
		assertThat(Scratch.leftoverDirs(me, root, name)).containsExactly(root.resolve("vwprobe-" + dead.value() + "-fio"));
		live.finished();
	}

	@Test
	void deleteTreeRemovesNestedFilesAndToleratesAbsence(@TempDir Path root) throws IOException {
		Path tree = root.resolve("t");
		Files.createDirectories(tree.resolve("a/b"));
		Files.writeString(tree.resolve("a/b/f"), "x");
		Scratch.deleteTree(tree);
		assertThat(tree).doesNotExist();
		Scratch.deleteTree(tree);
	}
}
