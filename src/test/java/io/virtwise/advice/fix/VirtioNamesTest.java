package io.virtwise.advice.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.kvm.xml.DomainXmlParser;

/** Every disk moved to virtio gets a name of its own, whatever the count: none taken twice, none already in use. */
class VirtioNamesTest {

	@Test
	void libvirtsLetterOrder() {
		assertThat(KvmFixes.diskLetters(0)).isEqualTo("a");
		assertThat(KvmFixes.diskLetters(25)).isEqualTo("z");
		assertThat(KvmFixes.diskLetters(26)).isEqualTo("aa");
		assertThat(KvmFixes.diskLetters(701)).isEqualTo("zz");
		assertThat(KvmFixes.diskLetters(702)).isEqualTo("aaa");
		for (int i = 0; i < 20_000; i++) {
			assertThat("vd" + KvmFixes.diskLetters(i)).isEqualTo(ManyDisksTest.targetName(i));
		}
	}

	@Test
	void moreEmulatedDisksThanTwoLettersNameStillGetDistinctFreeNames() {
		for (int sata : new int[] { 1, 26, 27, 703, 800 }) {
			// the emulated disks, plus virtio disks already holding some of the names they would take
			String xml = ManyDisksTest.domainWithDisks("vw-names", sata)
				.replace("bus='virtio'", "bus='sata'").replaceAll("dev='vd", "dev='sd")
				.replace("</devices>", """
						<disk type='file' device='disk'><source file='/x/b.raw'/><target dev='vdb' bus='virtio'/></disk>
						<disk type='file' device='disk'><source file='/x/zz.raw'/><target dev='vdzz' bus='virtio'/></disk>
						</devices>""");
			GuestFacts guest = DomainXmlParser.parse(xml);
			Set<String> inUse = new HashSet<>();
			guest.disks().forEach(d -> inUse.add(d.target()));
			Set<String> given = new HashSet<>();
			for (GuestDisk d : guest.disks()) {
				if (!"sata".equals(d.bus())) {
					continue;
				}
				String name = KvmFixes.virtioName(guest, d.target());
				assertThat(name).as("name for %s of %d", d.target(), sata).matches("vd[a-z]+");
				assertThat(given.add(name)).as("%s given twice", name).isTrue();
				assertThat(name.equals(d.target()) || !inUse.contains(name)).as("%s already in use", name).isTrue();
			}
			assertThat(given).hasSize(sata);
		}
	}
}
