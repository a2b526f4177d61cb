package io.virtwise.kvm.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** URIs libvirt refuses before any daemon is asked: no libvirtd needed, only libvirt0. */
class LibvirtConnectorTest {

	static String refusal(String uri) {
		return catchThrowableOfType(LibvirtUnavailableException.class, () -> LibvirtConnector.connect(uri)).getMessage();
	}

	@Test
	void aUriLibvirtCannotParseIsMalformedNotADaemonDown() {
		for (String uri : new String[] { "garbage", "qemu://[bad", "qemu:///system?x=%zz" }) {
			assertThat(refusal(uri)).as(uri).startsWith("malformed libvirt URI '" + uri + "': ")
				.contains("e.g. qemu:///system").doesNotContain("libvirtd");
		}
	}

	@Test
	void aWellFormedUriNobodyServesStillAsksAboutTheDaemon() {
		assertThat(refusal("qemu+unix:///system?socket=/nonexistent/libvirt-sock"))
			.startsWith("libvirtd is not reachable at qemu+unix:///system?socket=/nonexistent/libvirt-sock: ")
			.contains("is libvirtd running?");
	}
}
