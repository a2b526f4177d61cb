package io.virtwise.kvm.fix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.virtwise.advice.FixStep;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.Severity;
import io.virtwise.kvm.xml.EditedText;
import org.junit.jupiter.api.Test;

class DomainFixTest {

	static Recommendation rec(String id, String subject) {
		return Recommendation.builder(id, Severity.MEDIUM, "t").subject(subject).build();
	}

	@Test
	void severalGuestsNeedGuest() {
		List<Recommendation> all = List.of(rec("KVM-DISK-CACHE", "a"), rec("KVM-DISK-CACHE", "b"));
		assertThatThrownBy(() -> DomainFix.pick(all, "KVM-DISK-CACHE", null)).hasMessageContaining("--guest")
			.hasMessageContaining("a, b");
		assertThat(DomainFix.pick(all, "kvm-disk-cache", "b").subject()).isEqualTo("b");
		assertThat(DomainFix.pick(List.of(rec("KVM-DISK-CACHE", "a")), "KVM-DISK-CACHE", null).subject()).isEqualTo("a");
		assertThatThrownBy(() -> DomainFix.pick(all, "KVM-DISK-CACHE", "c")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> DomainFix.pick(all, "HOST-X", null)).hasMessageContaining("not among");
	}

	@Test
	void hostCommandsAreTheStepsThatAreNotTheDomainEdit() {
		Recommendation rec = Recommendation.builder("KVM-X", Severity.MEDIUM, "t").subject("g")
			.fix("echo 300 > /sys/.../nr_hugepages")
			.step(new FixStep.DomainEdit("g", "g.before-KVM-X.xml",
					List.of("--- g.xml", "+++ g.xml (virtwise)", "@@ -1,3 +1,4 @@", " <domain>", "-  <a/>", "+  <b/>"),
					EditedText.whole("<domain><b/></domain>")))
			.fixAfterEdit("virsh shutdown g && virsh start g")
			.fix("# in the guest: ethtool -l eth0")
			.build();
		assertThat(DomainFix.hostCommands(rec)).containsExactly("echo 300 > /sys/.../nr_hugepages",
				"virsh shutdown g && virsh start g", "# in the guest: ethtool -l eth0");
		// a diff line that looks like a command is still the edit's, not the host's
		Recommendation tricky = Recommendation.builder("KVM-X", Severity.MEDIUM, "t").subject("g")
			.step(new FixStep.DomainEdit("g", "b.xml", List.of("-virsh destroy g"), EditedText.whole("<domain/>"))).build();
		assertThat(DomainFix.hostCommands(tricky)).isEmpty();
	}

	@Test
	void aRollbackIsCheckedBeforeAnyConnection(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		BackupStore backups = new BackupStore(dir);
		assertThatThrownBy(() -> DomainFix.latestBackup(backups, "vw-none")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("no backup of vw-none");
		// a backup saved under one guest's name that defines another is refused as bad input
		backups.save("vw-a", "<domain type='kvm'><name>vw-b</name><memory>1</memory><devices/></domain>");
		assertThatThrownBy(() -> DomainFix.latestBackup(backups, "vw-a")).isInstanceOfSatisfying(DomainFixException.class,
				e -> assertThat(e.kind()).isEqualTo(DomainFixException.Kind.BAD_INPUT));
		backups.save("vw-c", "<domain type='kvm'><name>vw-c</name><memory>1</memory><devices/></domain>");
		assertThat(DomainFix.latestBackup(backups, "vw-c").xml()).contains("<name>vw-c</name>");
	}
}
