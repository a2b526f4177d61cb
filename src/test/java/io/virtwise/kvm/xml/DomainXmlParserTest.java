package io.virtwise.kvm.xml;

import io.virtwise.kvm.inspect.KvmFixtures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.virtwise.facts.FactsJson;
import io.virtwise.facts.GuestController;
import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.GuestNic;
import org.junit.jupiter.api.Test;

/** Captured {@code virsh dumpxml} of the lab's untuned, tuned and TCG domains. */
class DomainXmlParserTest {

	@Test
	void untunedDomain() {
		GuestFacts g = KvmFixtures.guest("untuned-domain.xml");

		assertThat(g.name()).isEqualTo("vw-untuned");
		assertThat(g.accel()).isEqualTo("kvm");
		assertThat(g.vcpus()).isEqualTo(2);
		assertThat(g.memoryKb()).isEqualTo(524288L);
		assertThat(g.hugepageBacked()).isFalse();
		assertThat(g.hugepageSizeKb()).isNull();
		assertThat(g.cpuMode()).isEqualTo("custom");
		assertThat(g.cpuModel()).isEqualTo("qemu64");
		assertThat(g.sockets()).isNull();
		assertThat(g.cacheMode()).isNull();
		assertThat(g.vcpuPins()).isEmpty();
		assertThat(g.fullyPinned()).isFalse();
		assertThat(g.emulatorPin()).isEmpty();
		assertThat(g.iothreads()).isZero();
		assertThat(g.numatuneMode()).isNull();
		assertThat(g.disks()).containsExactly(new GuestDisk("hda", "disk", "ide", "qcow2", "writeback", null, null,
				"/var/tmp/vw-kvm-cap.OMK7aV/vw-untuned.qcow2", "file", null, 0, null));
		assertThat(g.nics()).containsExactly(new GuestNic("user", "e1000", null, null, null, null, "52:54:00:38:2c:dd"));
		assertThat(g.numaCells()).isEmpty();
		assertThat(g.controllers()).containsExactly(new GuestController("ide", 0, null, null));
		assertThat(g.balloonModel()).isEqualTo("virtio");
	}

	@Test
	void tunedDomainLikeThePapers() {
		GuestFacts g = KvmFixtures.guest("tuned-domain.xml");

		assertThat(g.cpuMode()).isEqualTo("host-passthrough");
		assertThat(g.sockets()).isEqualTo(1);
		assertThat(g.dies()).isEqualTo(1);
		assertThat(g.cores()).isEqualTo(2);
		assertThat(g.threads()).isEqualTo(1);
		assertThat(g.cacheMode()).isEqualTo("passthrough");
		assertThat(g.vcpuPins()).isEqualTo(Map.of(0, "0", 1, "1"));
		assertThat(g.fullyPinned()).isTrue();
		assertThat(g.pinnedCpus()).containsExactly(0, 1);
		assertThat(g.emulatorPin()).isEqualTo("0-1");
		assertThat(g.iothreads()).isEqualTo(1);
		assertThat(g.numatuneMode()).isEqualTo("strict");
		assertThat(g.numatuneNodeset()).isEqualTo("0");
		assertThat(g.numaNodes()).containsExactly(0);
		assertThat(g.hugepageBacked()).isTrue();
		assertThat(g.hugepageSizeKb()).isEqualTo(2048L);
		assertThat(g.disks()).singleElement().satisfies(d -> {
			assertThat(d.bus()).isEqualTo("virtio");
			assertThat(d.format()).isEqualTo("raw");
			assertThat(d.cache()).isEqualTo("none");
			assertThat(d.io()).isEqualTo("native");
			assertThat(d.iothread()).isEqualTo(1);
		});
		assertThat(g.nics()).singleElement().satisfies(n -> {
			assertThat(n.model()).isEqualTo("virtio");
			assertThat(n.driver()).isEqualTo("vhost");
			assertThat(n.queues()).isNull();
		});
	}

	@Test
	void tcgDomain() {
		GuestFacts g = KvmFixtures.guest("tcg-domain.xml");

		assertThat(g.accel()).isEqualTo("qemu");
		assertThat(g.cpuMode()).isEqualTo("custom");   // libvirt fills in qemu64 for TCG domains
		assertThat(g.cpuModel()).isEqualTo("qemu64");
		assertThat(g.nics()).isEmpty();
	}

	// libvirt 9 refuses VNC passwords over 8 characters, so the captured domain has 's3cretvn';
	// the longer one is the same XML as another tool (or an older libvirt) would hand us.
	@Test
	void vncPasswordsNeverReachTheFacts() {
		String captured = KvmFixtures.text("untuned-domain.xml");
		assertThat(captured).contains("passwd='s3cretvn'");
		String longer = captured.replace("passwd='s3cretvn'", "passwd='s3cret-vnc'");

		for (String xml : new String[] { captured, longer }) {
			GuestFacts g = DomainXmlParser.parse(xml);
			String json = FactsJson.MAPPER.valueToTree(g).toString();
			assertThat(json).doesNotContain("s3cret");
			assertThat(g.domainXml()).contains("passwd='(redacted)'").doesNotContain("s3cret");
		}
	}

	@Test
	void spicePasswordIsRedactedToo() {
		GuestFacts g = DomainXmlParser.parse("<domain type='kvm'><name>x</name><devices>"
				+ "<graphics type=\"spice\" passwd=\"spice-pass-123\"/></devices></domain>");
		assertThat(g.domainXml()).doesNotContain("spice-pass-123");
	}

	@Test
	void rewritingAnUneditedDomainGivesBackTheSameText() {
		for (String name : new String[] { "untuned-domain.xml", "tuned-domain.xml", "tcg-domain.xml", "capabilities.xml" }) {
			String text = KvmFixtures.text(name);
			// virsh ends with a blank line, which is outside the document
			assertThat(DomainXml.write(DomainXml.parse(text))).as(name).isEqualTo(text.stripTrailing() + "\n");
		}
	}

	@Test
	void refusesWhatIsNotADomain() {
		assertThatThrownBy(() -> DomainXmlParser.parse("<capabilities/>")).hasMessageContaining("not libvirt domain XML");
		assertThatThrownBy(() -> DomainXmlParser.parse("<domain")).hasMessageContaining("not well-formed");
		assertThatThrownBy(() -> DomainXmlParser.parse("<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain>&x;</domain>"))
			.isInstanceOf(IllegalArgumentException.class);
	}
}
