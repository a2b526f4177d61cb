package io.virtwise.kvm.inspect;

import io.virtwise.probe.kvm.ProbeGuest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtwise.LabRequirement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.util.Arrays;
import java.util.List;

import io.virtwise.facts.GuestFacts;
import org.libvirt.Connect;
import org.libvirt.Domain;

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
	void aDomainUndefinedAfterTheListingIsSkippedNotFatal() throws Exception {
		String name = "vwit-vanish-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		Connect writer = LibvirtConnector.connectReadWrite(null);
		List<KvmInspector.ListedDomain> listing;
		try {
			Domain doomed = writer.domainDefineXML(java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/kvm-lab/tcg.xml"))
				.replace("@NAME@", name).replace("@DIR@", "/nonexistent"));
			try {
				listing = Arrays.stream(LibvirtConnector.shared(null).listAllDomains(0)).map(KvmInspector::listed).toList();
			}
			finally {
				doomed.undefine(); // what a probe torn down by another shell does between our list and read
			}
		}
		finally {
			writer.close();
		}
		assertThat(listing).extracting(KvmInspector.ListedDomain::name).contains(name);

		// other shells' domains may come and go meanwhile too: only ours is known to be gone
		List<GuestFacts> guests = KvmInspector.guests(listing);

		assertThat(guests).extracting(GuestFacts::name).doesNotContain(name)
			.noneMatch(n -> n.startsWith(ProbeGuest.PREFIX));
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
