package io.virtwise.kvm.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskConversionTest {

	static String domain(String... disks) {
		return "<domain type='kvm'><name>g</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
				+ "<os><type arch='x86_64'>hvm</type></os><devices>" + String.join("", disks) + "</devices></domain>";
	}

	static String disk(String target, String format, String file) {
		return "<disk type='file' device='disk'><driver name='qemu' type='" + format + "'/><source file='" + file
				+ "'/><target dev='" + target + "' bus='ide'/></disk>";
	}

	@Test
	void onlyQcow2FilesBecomingRawFilesElsewhereAreConversions() {
		String before = domain(disk("hda", "qcow2", "/img/a.qcow2"), disk("hdb", "qcow2", "/img/b.qcow2"),
				disk("hdc", "raw", "/img/c.raw"));
		String after = domain(disk("hda", "raw", "/img/a.raw"), disk("hdb", "qcow2", "/img/b.qcow2"),
				disk("hdc", "raw", "/img/c.raw"));
		assertThat(DiskConversion.changes(before, after))
			.containsExactly(new DiskConversion.Change("hda", Path.of("/img/a.qcow2"), Path.of("/img/a.raw")));
		// another edit of a qcow2 disk (cache, bus) converts nothing
		assertThat(DiskConversion.changes(before, before)).isEmpty();
		// raw in place (same file) is not a conversion this code could make
		assertThat(DiskConversion.changes(domain(disk("hda", "qcow2", "/img/a.qcow2")), domain(disk("hda", "raw", "/img/a.qcow2"))))
			.isEmpty();
		assertThat(new DiskConversion.Change("hda", Path.of("/img/a.qcow2"), Path.of("/img/a.raw")).command())
			.containsExactly("qemu-img", "convert", "-O", "raw", "/img/a.qcow2", "/img/a.raw");
	}

	@Test
	void neverOverAnExistingFileNorFromAMissingOne(@TempDir Path dir) throws Exception {
		Path qcow2 = Files.writeString(dir.resolve("a.qcow2"), "x");
		Path raw = dir.resolve("a.raw");
		assertThat(DiskConversion.problem(new DiskConversion.Change("hda", qcow2, raw))).isNull();
		Files.writeString(raw, "someone's data");
		assertThat(DiskConversion.problem(new DiskConversion.Change("hda", qcow2, raw))).contains("already exists");
		assertThat(DiskConversion.problem(new DiskConversion.Change("hda", dir.resolve("gone.qcow2"), dir.resolve("gone.raw"))))
			.contains("not a file on this host");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> DiskConversion.convert(new DiskConversion.Change("hda", qcow2, raw)))
			.hasMessageContaining("already exists");
		assertThat(Files.readString(raw)).isEqualTo("someone's data");
	}

	@Test
	void rollbackNamesTheFilesTheRestoredDefinitionNoLongerUses() {
		String converted = domain(disk("hda", "raw", "/img/a.raw"), disk("hdb", "raw", "/img/c.raw"));
		String original = domain(disk("hda", "qcow2", "/img/a.qcow2"), disk("hdb", "raw", "/img/c.raw"));
		assertThat(DiskConversion.leftBehind(converted, original)).isEqualTo(List.of(Path.of("/img/a.raw")));
		assertThat(DiskConversion.leftBehind(original, original)).isEmpty();
	}
}
