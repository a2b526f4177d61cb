package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.VirtFacts;

/**
 * /dev/kvm in the fixtures is an empty regular file: accessibility is decided by file permissions
 * (Files.isReadable and isWritable), which root always passes, so "accessible" is true here.
 */
class VirtReaderTest {

	@Test
	void firecrackerIsAPvmGuestWithNestingOnTheCommandLine() {
		assertThat(new VirtReader(HostFixtures.firecracker()).read())
			.isEqualTo(new VirtFacts("none", true, true, "pvm", true, true, null, false));
	}

	@Test
	void twoSocketHostIsBareMetalIntelWithNestedKvm() {
		// DMI names Supermicro there, which is a board vendor, not a hypervisor.
		assertThat(new VirtReader(HostFixtures.twoSocket()).read())
			.isEqualTo(new VirtFacts("vmx", true, true, "intel", true, false, null, true));
	}

	@Test
	void pvmWithoutTheBootFlagIsNotNested(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.FIRECRACKER, tmp.resolve("host"));
		HostFixtures.write(root.resolve("proc/cmdline"), "console=ttyS0 -- nested_pvm=1\n");

		assertThat(new VirtReader(HostRoots.under(root)).read().nestedEnabled()).isFalse();
	}

	@Test
	void guestNamesItsHypervisorFromDmiOrXen(@TempDir Path tmp) {
		Path root = HostFixtures.copy(HostFixtures.FIRECRACKER, tmp.resolve("host"));
		HostFixtures.write(root.resolve("sys/class/dmi/id/product_name"), "KVM\n");
		assertThat(new VirtReader(HostRoots.under(root)).read().hypervisor()).isEqualTo("KVM");

		HostFixtures.write(root.resolve("sys/class/dmi/id/sys_vendor"), "QEMU\n");
		assertThat(new VirtReader(HostRoots.under(root)).read().hypervisor()).isEqualTo("QEMU");

		HostFixtures.write(root.resolve("sys/hypervisor/type"), "xen\n");
		assertThat(new VirtReader(HostRoots.under(root)).read().hypervisor()).isEqualTo("xen");
	}

	@Test
	void amdNestedOffAndNoKvmDevice(@TempDir Path tmp) {
		HostFixtures.write(tmp.resolve("proc/cpuinfo"), "processor : 0\nflags : fpu svm\n");
		HostFixtures.write(tmp.resolve("sys/module/kvm_amd/parameters/nested"), "0\n");
		HostFixtures.write(tmp.resolve("dev/null"), "");

		assertThat(new VirtReader(HostRoots.under(tmp)).read())
			.isEqualTo(new VirtFacts("svm", false, false, "amd", false, false, null, false));
	}

	@Test
	void nothingReadableIsNull(@TempDir Path tmp) {
		assertThat(new VirtReader(HostRoots.under(tmp)).read()).isNull();
	}
}
