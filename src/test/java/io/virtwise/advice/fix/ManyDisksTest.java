package io.virtwise.advice.fix;

import io.virtwise.kvm.inspect.KvmFixtures;
import io.virtwise.kvm.xml.DomainXmlParser;
import static io.virtwise.advice.RuleTesting.advise;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.virtwise.advice.Recommendation;
import io.virtwise.advice.RuleTesting;
import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A guest with thousands of disks: advising must stay linear in its devices. Each per-disk fix
 * once parsed, wrote and diffed the whole domain and kept a whole copy of it, so thousands of disks
 * took minutes and exhausted the heap. The timeout is a hang guard, not a speed target.
 */
public class ManyDisksTest {

	/** Enough disks that one whole-domain copy per fix would need gigabytes under surefire's default heap. */
	private static final int DISKS = Integer.getInteger("virtwise.test.disks", 3000);

	@Test
	@Timeout(value = 90, unit = TimeUnit.SECONDS)
	void aGuestWithThousandsOfDisksIsAdvisedInBoundedTimeAndHeap() {
		GuestFacts guest = DomainXmlParser.parse(domainWithDisks("vw-many-disks", DISKS));
		Facts facts = KvmFixtures.facts(KvmFixtures.node("capabilities.xml"), List.of(guest));

		RuleTesting.rules();   // compiled first: the guard is on advising, not on compiling DRL
		long started = System.nanoTime();
		List<Recommendation> advice = advise(facts);
		System.out.printf("%d disks advised in %d ms%n", DISKS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

		// every disk has writeback cache on a qcow2 image without an iothread: three findings each, each with its own diff
		for (String id : List.of("KVM-DISK-CACHE", "KVM-DISK-QCOW2", "KVM-DISK-IOTHREAD")) {
			assertThat(advice.stream().filter(r -> r.id().equals(id))).as(id).hasSize(DISKS)
				.allSatisfy(r -> assertThat(r.fix()).anyMatch(line -> line.startsWith("@@ ")));
		}
		String target = targetName(DISKS - 1);
		Recommendation last = advice.stream().filter(r -> r.id().equals("KVM-DISK-CACHE"))
			.filter(r -> r.evidence().stream().anyMatch(e -> e.fact().contains("[" + target + "]"))).findFirst().orElseThrow();
		// the whole edited domain is still there for fix apply, with only this disk changed
		assertThat(DomainXmlParser.parse(last.newDomainXml()).disks()).filteredOn(d -> "none".equals(d.cache()))
			.singleElement().satisfies(d -> assertThat(d.target()).isEqualTo(target));
	}

	/** A libvirt-formatted domain with this many virtio qcow2 disks on the host page cache. */
	public static String domainWithDisks(String name, int disks) {
		StringBuilder xml = new StringBuilder("""
				<domain type='kvm'>
				  <name>%s</name>
				  <memory unit='KiB'>1048576</memory>
				  <vcpu placement='static'>2</vcpu>
				  <os>
				    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
				  </os>
				  <cpu mode='host-passthrough' check='none'>
				    <topology sockets='1' dies='1' cores='2' threads='1'/>
				  </cpu>
				  <devices>
				    <emulator>/usr/bin/qemu-system-x86_64</emulator>
				""".formatted(name));
		for (int i = 0; i < disks; i++) {
			xml.append("""
					    <disk type='file' device='disk'>
					      <driver name='qemu' type='qcow2'/>
					      <source file='/var/lib/libvirt/images/%s-%d.qcow2'/>
					      <target dev='%s' bus='virtio'/>
					    </disk>
					""".formatted(name, i, targetName(i)));
		}
		return xml.append("  </devices>\n</domain>\n").toString();
	}

	/** vda ... vdz, vdaa ... vdzz, vdaaa ...: libvirt's disk names in order. */
	static String targetName(int index) {
		StringBuilder suffix = new StringBuilder();
		for (int i = index; i >= 0; i = i / 26 - 1) {
			suffix.insert(0, (char) ('a' + i % 26));
		}
		return "vd" + suffix;
	}
}
