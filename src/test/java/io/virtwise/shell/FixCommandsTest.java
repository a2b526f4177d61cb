package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.virtwise.advice.Recommendation;
import io.virtwise.advice.Severity;
import org.junit.jupiter.api.Test;

class FixCommandsTest {

	static Recommendation rec(String id, String subject) {
		return Recommendation.builder(id, Severity.MEDIUM, "t").subject(subject).build();
	}

	@Test
	void severalGuestsNeedGuest() {
		List<Recommendation> all = List.of(rec("KVM-DISK-CACHE", "a"), rec("KVM-DISK-CACHE", "b"));
		assertThatThrownBy(() -> FixCommands.pick(all, "KVM-DISK-CACHE", null)).hasMessageContaining("--guest")
			.hasMessageContaining("a, b");
		assertThat(FixCommands.pick(all, "kvm-disk-cache", "b").subject()).isEqualTo("b");
		assertThat(FixCommands.pick(List.of(rec("KVM-DISK-CACHE", "a")), "KVM-DISK-CACHE", null).subject()).isEqualTo("a");
		assertThatThrownBy(() -> FixCommands.pick(all, "KVM-DISK-CACHE", "c")).isInstanceOf(VirtwiseException.class);
		assertThatThrownBy(() -> FixCommands.pick(all, "HOST-X", null)).hasMessageContaining("not among");
	}

	@Test
	void hostCommandsLeaveOutTheDiff() {
		List<String> fix = List.of("echo 300 > /sys/.../nr_hugepages",
				"virsh dumpxml --inactive --security-info g > g.before-KVM-X.xml   # the way back",
				"# virsh edit g   # make this change to the domain XML:",
				"--- g.xml", "+++ g.xml (virtwise)", "@@ -1,3 +1,4 @@", " <domain>", "-  <a/>", "+  <b/>",
				"virsh shutdown g && virsh start g");
		assertThat(FixCommands.hostCommands(fix)).containsExactly("echo 300 > /sys/.../nr_hugepages", "virsh shutdown g && virsh start g");
	}
}
