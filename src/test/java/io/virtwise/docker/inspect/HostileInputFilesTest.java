package io.virtwise.docker.inspect;

import io.virtwise.importer.FactsImporter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.InputFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files no user means to give, given anyway: each is refused with one line naming the file, as
 * bad input, instead of hanging on a FIFO, filling the heap, or failing inside the parser.
 */
// a FIFO that is opened blocks for good: the timeout turns that hang into a failure, it measures nothing
@Timeout(120)
class HostileInputFilesTest {

	static final Facts EMPTY = new Facts(Facts.SCHEMA_VERSION, "2026-01-01T00:00:00Z", "imported", null, List.of(),
			List.of(), List.of(), null);

	@TempDir
	Path dir;

	static Path fifo(Path file) throws Exception {
		assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();
		return file;
	}

	static Path sparse(Path file, long size) throws Exception {
		try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
			raf.setLength(size);
		}
		return file;
	}

	static void oneLine(Throwable e, Path file) {
		assertThat(e.getMessage()).contains(file.toString()).doesNotContain("\n");
	}

	@Test
	void aFifoIsRefusedBeforeItIsOpened() throws Exception {
		Path pipe = fifo(dir.resolve("facts.json"));
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(pipe))).isInstanceOf(FactsFileException.class)
			.hasMessage("input file " + pipe + " is not a regular file (a FIFO, socket or device?); virtwise reads only regular files");
		assertThatThrownBy(() -> FactsJson.read(pipe)).isInstanceOf(FactsFileException.class)
			.satisfies(e -> oneLine(e, pipe)).hasMessageContaining("not a regular file");
	}

	@Test
	void aDeviceAndADirectoryAreRefused() {
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(Path.of("/dev/zero"))))
			.isInstanceOf(FactsFileException.class).hasMessageContaining("/dev/zero is not a regular file");
		assertThatThrownBy(() -> FactsJson.read(dir)).isInstanceOf(FactsFileException.class).hasMessageContaining("is a directory");
	}

	@Test
	void aFileOverTheLimitIsRefusedByItsSizeWithoutBeingRead() throws Exception {
		Path huge = sparse(dir.resolve("inspect.json"), 200L * 1024 * 1024);
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(huge))).isInstanceOf(FactsFileException.class)
			.hasMessage("input file " + huge + " is larger than the 16 MiB limit for input files");
		assertThatThrownBy(() -> FactsJson.read(huge)).isInstanceOf(FactsFileException.class).hasMessageContaining("16 MiB limit");
	}

	@Test
	void aFileThatGrowsPastTheLimitAfterTheCheckStopsAtTheLimit() throws Exception {
		Path file = Files.writeString(dir.resolve("growing.json"), "[");
		try (InputStream in = InputFiles.open(file, "input file")) {
			sparse(file, InputFiles.MAX_BYTES + 2);
			assertThatThrownBy(in::readAllBytes).isInstanceOf(InputFiles.InputFileException.class)
				.hasMessageContaining("16 MiB limit");
		}
	}

	@Test
	void jsonNestedPastTheBoundIsOneLineNotAParserCrash() throws Exception {
		int depth = FactsJson.MAX_NESTING + 1;
		Path deep = Files.writeString(dir.resolve("deep.json"), "[".repeat(depth) + "]".repeat(depth));
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(deep))).isInstanceOf(FactsFileException.class)
			.hasMessageStartingWith(deep + " is JSON beyond virtwise's bounds (nesting deeper than 1000 levels");
		Path deepFacts = Files.writeString(dir.resolve("deep-facts.json"), "{\"schemaVersion\":1,\"x\":" + "[".repeat(depth)
				+ "]".repeat(depth) + "}");
		assertThatThrownBy(() -> FactsJson.read(deepFacts)).isInstanceOf(FactsFileException.class)
			.hasMessageContaining("beyond virtwise's bounds");
		// the journal's mapper is a copy of the shared one and keeps its bounds
		assertThatThrownBy(() -> FactsJson.MAPPER.copy().readTree("[".repeat(depth) + "]".repeat(depth)))
			.isInstanceOf(com.fasterxml.jackson.core.exc.StreamConstraintsException.class);
	}

	@Test
	void nestingWithinTheBoundStillReads() throws Exception {
		int depth = FactsJson.MAX_NESTING - 5;
		Path deep = Files.writeString(dir.resolve("deep.json"), "[".repeat(depth) + "]".repeat(depth));
		// read, then refused for what it is (not containers), not for its depth
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(deep))).hasMessageNotContaining("bounds");
	}

	@Test
	void binaryInputIsNamedAsNotUtf8() throws Exception {
		Path binaryJson = Files.write(dir.resolve("bin.json"), new byte[] { '{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}' });
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(binaryJson))).isInstanceOf(FactsFileException.class)
			.hasMessageStartingWith(binaryJson + " is not UTF-8 text").hasMessageNotContaining("Input length");
		Path binaryXml = Files.write(dir.resolve("bin.xml"), new byte[] { '<', 'd', (byte) 0xFF, '>' });
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(binaryXml))).isInstanceOf(FactsFileException.class)
			.hasMessage("input file " + binaryXml + " is not UTF-8 text (binary?)");
	}

	@Test
	void xmlAfterAByteOrderMarkAndWhiteSpaceIsStillRecognised() throws Exception {
		Path xml = Path.of("src/test/resources/fixtures/kvm/capabilities.xml");
		Path withBom = dir.resolve("caps.xml");
		Files.write(withBom, concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF, ' ', '\n' }, Files.readAllBytes(xml)));
		assertThat(FactsImporter.importFiles(EMPTY, List.of(withBom)).facts().kvmNode()).isNotNull();
	}

	static byte[] concat(byte[] a, byte[] b) {
		byte[] all = new byte[a.length + b.length];
		System.arraycopy(a, 0, all, 0, a.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}
}
