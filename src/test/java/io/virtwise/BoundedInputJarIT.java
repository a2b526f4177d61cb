package io.virtwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virtwise.facts.FactsJson;
import io.virtwise.shell.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files and text given to the packaged jar, as a user would: each is one line on stderr
 * with exit 3 (or 2 for a bad name), nothing hangs or runs out of memory, and nothing from the
 * data reaches the terminal as a control sequence.
 */
class BoundedInputJarIT {

	@TempDir
	Path temp;

	record Result(int code, String out, String err) {
	}

	/** The jar under the launcher's heap; timeout(1) turns a hang into exit 124 instead of a stuck build. */
	Result virtwise(Map<String, String> env, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("timeout", "60", "java", "-Xmx256m", "-Dvirtwise.home=.", "-jar",
				"target/virtwise.jar"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
			.redirectOutput(temp.resolve("out").toFile()).redirectError(temp.resolve("err").toFile());
		builder.environment().putAll(env);
		int code = builder.start().waitFor();
		return new Result(code, Files.readString(temp.resolve("out")), Files.readString(temp.resolve("err")));
	}

	Result virtwise(String... args) throws Exception {
		return virtwise(Map.of(), args);
	}

	static void oneLine(Result r, int code, String... contains) {
		assertThat(r.code()).as(r.err()).isEqualTo(code);
		assertThat(r.err().strip().lines()).as(r.err()).hasSize(1).first().asString().startsWith("virtwise: ").contains(contains);
	}

	@Test
	void fifosDevicesHugeDeepAndBinaryFilesAreOneLineAndExitThree() throws Exception {
		Path fifo = temp.resolve("fifo.json");
		assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
		Path huge = temp.resolve("huge.json");
		try (RandomAccessFile raf = new RandomAccessFile(huge.toFile(), "rw")) {
			raf.setLength(200L * 1024 * 1024);
		}
		Path deep = Files.writeString(temp.resolve("deep.json"), "[".repeat(5000) + "]".repeat(5000));
		Path binary = Files.write(temp.resolve("binary.json"), new byte[] { (byte) 0x89, 'P', 'N', 'G', 0, 0, (byte) 0xFF });

		oneLine(virtwise("facts", "import", fifo.toString()), ExitCodes.BAD_INPUT, fifo.toString(), "not a regular file");
		oneLine(virtwise("facts", "import", "/dev/zero"), ExitCodes.BAD_INPUT, "/dev/zero", "not a regular file");
		oneLine(virtwise("facts", "import", huge.toString()), ExitCodes.BAD_INPUT, huge.toString(), "16 MiB limit");
		oneLine(virtwise("advise", "--facts", huge.toString()), ExitCodes.BAD_INPUT, huge.toString(), "16 MiB limit");
		oneLine(virtwise("facts", "import", deep.toString()), ExitCodes.BAD_INPUT, deep.toString(), "nesting deeper than 1000");
		oneLine(virtwise("advise", "--facts", deep.toString()), ExitCodes.BAD_INPUT, deep.toString(), "nesting deeper than 1000");
		oneLine(virtwise("facts", "import", binary.toString()), ExitCodes.BAD_INPUT, binary.toString(), "not UTF-8 text");
		oneLine(virtwise("@" + binary), ExitCodes.BAD_INPUT, binary.toString(), "not UTF-8 text");
	}

	@Test
	void aBadSessionFileSpoilsNoOtherAndNamesStayInsideTheFolder() throws Exception {
		Path sessions = Files.createDirectories(temp.resolve("sessions"));
		for (Path example : List.of(Path.of("sessions"))) {
			try (var files = Files.list(example)) {
				for (Path f : files.filter(f -> f.getFileName().toString().startsWith("2026-12-01T14")).toList()) {
					Files.copy(f, sessions.resolve(f.getFileName()));
				}
			}
		}
		assertThat(new ProcessBuilder("mkfifo", sessions.resolve("fifo.session.jsonl").toString()).start().waitFor()).isZero();
		try (RandomAccessFile raf = new RandomAccessFile(sessions.resolve("huge.session.jsonl").toFile(), "rw")) {
			raf.setLength(100L * 1024 * 1024);
		}
		Map<String, String> env = Map.of("VIRTWISE_SESSIONS", sessions.toString());
		Result list = virtwise(env, "session", "list");
		assertThat(list.code()).as(list.err()).isZero();
		assertThat(list.out()).contains("example-untuned", "example-tuned")
			.contains("skipped: session file " + sessions.resolve("fifo.session.jsonl") + " is not a regular file")
			.contains("skipped: session file " + sessions.resolve("huge.session.jsonl") + " is larger than the 16 MiB limit");
		assertThat(virtwise(env, "session", "show", "example-tuned").code()).isZero();
		oneLine(virtwise(env, "session", "show", "../../../tmp/x"), ExitCodes.USAGE, "is not a session name");
	}

	@Test
	void controlSequencesInImportedNamesNeverReachTheTerminalRaw() throws Exception {
		ObjectNode facts = (ObjectNode) FactsJson.MAPPER.readTree(Files.readString(Path.of("src/test/resources/facts/docker-untuned.json")));
		facts.withArray("containers").forEach(c -> ((ObjectNode) c).put("name", c.path("name").asText() + "\u001B]0;owned\u0007\u001B[2J\u009B2J"));
		Path file = Files.writeString(temp.resolve("hostile.json"), FactsJson.MAPPER.writeValueAsString(facts));
		for (String format : List.of("text", "json", "markdown")) {
			Result r = virtwise("advise", "--facts", file.toString(), "--format", format);
			assertThat(r.code()).as(r.err()).isZero();
			assertThat(r.out()).as(format).contains("owned").doesNotContain("\u001B", "\u009B", "\u0007");
		}
		// a script's commands print through the same guard: shown as cat -v shows them
		Path script = Files.writeString(temp.resolve("s.vw"), "facts import " + file + "\nadvise\n");
		Result advise = virtwise("@" + script);
		assertThat(advise.code()).as(advise.err()).isZero();
		assertThat(advise.out()).contains("^[]0;owned^G^[[2JM-^[2J").doesNotContain("\u001B", "\u009B", "\u0007");
	}

	@Test
	void aHundredKilobyteLineIsNotEchoedWhole() throws Exception {
		Result r = virtwise("x".repeat(100_000));
		oneLine(r, ExitCodes.USAGE, "unknown command", "…");
		assertThat(r.err().getBytes(StandardCharsets.UTF_8).length).isLessThan(400);
	}
}
