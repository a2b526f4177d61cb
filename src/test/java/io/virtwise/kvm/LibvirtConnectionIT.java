package io.virtwise.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtwise.LabRequirement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

/**
 * The shell's kept-alive connection on the lab's real libvirtd: reused across commands, replaced
 * when libvirt has closed it under us, and an unreachable URI is one clear line naming it.
 */
class LibvirtConnectionIT {

	@BeforeAll
	static void libvirtdAnswers() {
		try {
			LibvirtConnector.connect(null).close();
		}
		catch (Exception e) {
			LabRequirement.unavailable("libvirtd is not reachable (scripts/lab-up kvm): " + e.getMessage(), e);
		}
	}

	@AfterEach
	void forget() {
		LibvirtConnector.dropShared(null);
	}

	@Test
	void commandsShareOneLiveConnection() throws Exception {
		Connect first = LibvirtConnector.shared(null);
		new KvmInspector(null).inspect();
		new KvmInspector(null).domainNames();

		assertThat(LibvirtConnector.shared(null)).isSameAs(first);
		assertThat(first.isAlive()).isTrue();
	}

	@Test
	void aConnectionClosedUnderUsIsReplacedOnTheNextCommand() throws Exception {
		Connect first = LibvirtConnector.shared(null);
		first.close(); // what libvirtd going away leaves behind

		KvmInspector.Snapshot snapshot = new KvmInspector(null).inspect();

		assertThat(snapshot.node().libvirtVersion()).isNotBlank();
		Connect second = LibvirtConnector.shared(null);
		assertThat(second).isNotSameAs(first);
		assertThat(second.isAlive()).isTrue();
	}

	@Test
	void anUnreachableUriIsOneLineNamingIt() {
		String uri = "qemu+unix:///system?socket=/nonexistent/libvirt-sock";
		assertThatThrownBy(() -> new KvmInspector(uri).inspect()).isInstanceOf(LibvirtUnavailableException.class)
			.hasMessageContaining(uri)
			.hasMessageNotContaining("\n");
		assertThat(new KvmInspector(uri).domainNames()).isEmpty();
	}
}
