package io.virtwise.probe.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtwise.host.HostRoots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The choice reads the host tree it is given, the way host inspection does, not the machine running the test. */
class AccelChoiceTest {

	@TempDir
	Path root;

	private String choose(List<String> notes, String... modules) throws IOException {
		HostRoots host = HostRoots.under(root);
		Files.createDirectories(host.dev());
		Files.writeString(host.dev().resolve("kvm"), "");
		for (String module : modules) {
			Files.createDirectories(host.sys().resolve("module").resolve(module));
		}
		return new AccelChoice(host).choose(null, notes);
	}

	@Test
	void hardwareKvmIsUsed() throws IOException {
		List<String> notes = new ArrayList<>();
		assertThat(choose(notes, "kvm", "kvm_intel")).isEqualTo("kvm");
		assertThat(notes).isEmpty();
	}

	@Test
	void hardwareKvmWinsOverAPvmModuleBesideIt() throws IOException {
		assertThat(choose(new ArrayList<>(), "kvm", "kvm_amd", "kvm_pvm")).isEqualTo("kvm");
	}

	@Test
	void pvmMeansTcgAndSaysWhy() throws IOException {
		List<String> notes = new ArrayList<>();
		assertThat(choose(notes, "kvm", "kvm_pvm")).isEqualTo("qemu");
		assertThat(notes).singleElement().asString().startsWith("/dev/kvm is PVM here");
	}

	@Test
	void noDevKvmMeansTcg() throws IOException {
		HostRoots host = HostRoots.under(root);
		Files.createDirectories(host.dev());
		List<String> notes = new ArrayList<>();
		assertThat(new AccelChoice(host).choose(null, notes)).isEqualTo("qemu");
		assertThat(notes).containsExactly("no usable /dev/kvm: the probe guest runs under TCG (type='qemu')");
	}
}
