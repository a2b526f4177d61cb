package io.virtwise.advice.fix;

import io.virtwise.kvm.inspect.KvmFixtures;
import io.virtwise.kvm.xml.DomainXml;
import io.virtwise.kvm.xml.DomainXmlParser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtwise.facts.FactsJson;
import io.virtwise.facts.GuestFacts;
import org.junit.jupiter.api.Test;

class RestoreSecretsTest {

	static final String ORIGINAL = "<domain>\n  <graphics type='vnc' passwd='s3cret'/>\n  <graphics type='spice' passwd=\"two\"/>\n</domain>";

	@Test
	void putsRedactedPasswordsBackInOrder() {
		String edited = DomainXml.redact(ORIGINAL).replace("<domain>", "<domain type='kvm'>");
		assertThat(edited).doesNotContain("s3cret");
		assertThat(DomainXml.restoreSecrets(edited, ORIGINAL))
			.isEqualTo(ORIGINAL.replace("<domain>", "<domain type='kvm'>"));
	}

	static final String SECRETS = KvmFixtures.text("secrets-domain.xml");

	@Test
	void blanksEverySecretKindButKeepsNamesAndOrdinaryNotes() {
		String redacted = DomainXml.redact(SECRETS);
		assertThat(redacted).doesNotContain("HUNTER2");
		assertThat(redacted).contains("owner=ops DB_PASSWORD=(redacted) api_token: (redacted)",
				"ENCRYPTION_KEY='(redacted)' rack=4", ">(redacted)</vw:password>", "usage='(redacted)'",
				"passwd='(redacted)'", "passwd=\"(redacted)\"", "<qemu:arg value='secret,id=s0,data=(redacted)'/>",
				"&quot;data&quot;:&quot;(redacted)&quot;}", "<qemu:arg value=':1,password=(redacted)'/>",
				"<qemu:env name='MY_PASSWORD' value='(redacted)'/>", "<qemu:env name='PROXY_URL' value='(redacted)'/>");
		// what is no secret stays as it was
		assertThat(redacted.lines().filter(l -> !l.contains("(redacted)")))
			.containsExactlyElementsOf(SECRETS.lines().filter(l -> !l.contains("HUNTER2")).toList());
	}

	@Test
	void guestFactsFromSecretXmlHoldNoSecret() throws Exception {
		GuestFacts guest = DomainXmlParser.parse(SECRETS);
		assertThat(FactsJson.MAPPER.writeValueAsString(guest)).doesNotContain("HUNTER2").contains("MY_PASSWORD");
		assertThat(guest.disks()).hasSize(2);
	}

	@Test
	void putsEveryKindBackForAFixEditedFromRedactedFacts() {
		// what fix apply does: edit the XML kept in the facts, then restore from the persistent definition
		String edited = DomainXml.write(DomainXml.parse(DomainXml.redact(SECRETS))).replace("bus='virtio'/>\n    </disk>\n    <disk",
				"bus='scsi'/>\n    </disk>\n    <disk");
		String restored = DomainXml.restoreSecrets(edited, SECRETS);
		assertThat(restored).isEqualTo(DomainXml.write(DomainXml.parse(SECRETS)).replace("bus='virtio'/>\n    </disk>\n    <disk",
				"bus='scsi'/>\n    </disk>\n    <disk"));
		assertThat(restored.split("HUNTER2", -1)).hasSize(13);
		assertThat(restored).contains("bus='scsi'");
	}

	@Test
	void aSecretOfAnotherKindInItsPlaceIsAnError() {
		String swapped = DomainXml.redact(SECRETS).replace("<qemu:env name='MY_PASSWORD' value='(redacted)'/>", "");
		assertThatThrownBy(() -> DomainXml.restoreSecrets(swapped, SECRETS)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("lost 1");
		String moved = DomainXml.redact(SECRETS).replace("<description>", "<description>note: x_token=(redacted) ");
		assertThatThrownBy(() -> DomainXml.restoreSecrets(moved, SECRETS)).hasMessageContaining("do not match");
	}

	@Test
	void noSecretsNothingToDo() {
		assertThat(DomainXml.restoreSecrets("<domain/>", "<domain/>")).isEqualTo("<domain/>");
	}

	@Test
	void aLostPasswordIsAnError() {
		assertThatThrownBy(() -> DomainXml.restoreSecrets("<domain/>", ORIGINAL)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("lost 2");
	}
}
