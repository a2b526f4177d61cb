package io.virtwise.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

	@Test
	void blanksSecretAssignmentsButKeepsTheirNames() {
		assertThat(Redactor.redact("docker run -e DB_PASSWORD=hunter2 -e MODE=fast img"))
			.isEqualTo("docker run -e DB_PASSWORD=<redacted> -e MODE=fast img");
		assertThat(Redactor.redact("API_KEY: abc123, user=bob")).isEqualTo("API_KEY: <redacted>, user=bob");
		assertThat(Redactor.redact("<graphics type='vnc' passwd='s3cret'/>")).isEqualTo("<graphics type='vnc' passwd='<redacted>'/>");
	}

	@Test
	void blanksSecretJsonFieldsAndEscapedLines() {
		assertThat(Redactor.redact("{\"github_token\":\"ghp_x\\\"y\",\"name\":\"api\"}"))
			.isEqualTo("{\"github_token\":\"<redacted>\",\"name\":\"api\"}");
		assertThat(Redactor.redact("\"output\":\"-e DB_PASSWORD=hunter2\\n next\""))
			.isEqualTo("\"output\":\"-e DB_PASSWORD=<redacted>\\n next\"");
	}

	@Test
	void leavesOrdinaryTextAlone() {
		String evidence = "evidence: host.hugePages[2048kB].total = 0; host.virt.kvmDevicePresent = true";
		assertThat(Redactor.redact(evidence)).isEqualTo(evidence);
		assertThat(Redactor.redact("already DB_PASSWORD=<redacted>")).isEqualTo("already DB_PASSWORD=<redacted>");
	}
}
