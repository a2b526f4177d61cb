package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtwise.kvm.inspect.KvmInspector;
import org.junit.jupiter.api.Test;

class KvmDomainCompletionTest {

	@Test
	void noProposalsWhenLibvirtdIsDown() {
		KvmInspector down = new KvmInspector("qemu+unix:///system?socket=/nonexistent/libvirt-sock");
		assertThat(down.domainNames()).isEmpty();
	}
}
