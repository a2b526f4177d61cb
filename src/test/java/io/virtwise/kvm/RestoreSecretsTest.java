package io.virtwise.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
