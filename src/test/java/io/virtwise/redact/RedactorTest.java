package io.virtwise.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;

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

	@Test
	void blanksTheValueAfterASecretOptionABearerTokenAndAUrlPassword() {
		assertThat(Redactor.redact("app --token ABCSECRETTOKEN --api-key aky555 --verbose"))
			.isEqualTo("app --token <redacted> --api-key <redacted> --verbose");
		assertThat(Redactor.redact("curl -H 'Authorization: Bearer brr777' http://db:8080/x"))
			.isEqualTo("curl -H 'Authorization: Bearer <redacted>' http://db:8080/x");
		assertThat(Redactor.redact("psql postgres://u:urlpw888@db/x")).isEqualTo("psql postgres://u:<redacted>@db/x");
		assertThat(Redactor.redact("--password-file /run/secrets/db --token -v")).isEqualTo("--password-file /run/secrets/db --token -v");
		assertThat(Redactor.redact("redis-server --requirepass hunter2; redis-cli -u redis://:hunter3@cache:6379"))
			.isEqualTo("redis-server --requirepass <redacted>; redis-cli -u redis://:<redacted>@cache:6379");
		assertThat(Redactor.redact("sh -c 'app --password \"s3 cret\"' && curl -H 'Authorization: Basic YWRtaW46aHVudGVy'"))
			.isEqualTo("sh -c 'app --password \"<redacted>\"' && curl -H 'Authorization: Basic <redacted>'");
	}

	@Test
	void wordsThatOnlyContainTokenOrKeyKeepTheirValues() {
		String server = "text-generation-launcher --max-total-tokens 4096 --max-input-tokens=2048 --tokenizer bert-base "
				+ "--keyboard us the bearer of bad news TOKEN_LENGTH=32";
		assertThat(Redactor.redact(server)).isEqualTo(server);
		assertThat(Redactor.redactArgs(List.of("--max-total-tokens", "4096", "--password-stdin", "registry")))
			.containsExactly("--max-total-tokens", "4096", "--password-stdin", "registry");
		assertThat(Redactor.redact("apiToken=abc GITHUB_TOKEN=ghp_1 x-auth-token: t1")).isEqualTo(
				"apiToken=<redacted> GITHUB_TOKEN=<redacted> x-auth-token: <redacted>");
	}

	@Test
	void anArgumentVectorLosesTheValueAfterASecretOptionAndSecretsInsideAScript() {
		assertThat(Redactor.redactArgs(List.of("app", "--token", "ABC", "--password=x", "--verbose", "-v", "--token", "-q")))
			.containsExactly("app", "--token", "<redacted>", "--password=<redacted>", "--verbose", "-v", "--token", "-q");
		assertThat(Redactor.redactArgs(List.of("sh", "-c", "run --password=cmdlinepass42 --token T0K postgres://u:pw@db/x")))
			.containsExactly("sh", "-c", "run --password=<redacted> --token <redacted> postgres://u:<redacted>@db/x");
	}

	@Test
	void clientPasswordFlagsAreBlankedOnlyAfterTheClientsOwnName() {
		assertThat(Redactor.redact("mysql -uroot -pS3cret app && /usr/bin/mysqldump -h db -pdump2 x")).isEqualTo(
				"mysql -uroot -p<redacted> app && /usr/bin/mysqldump -h db -p<redacted> x");
		assertThat(Redactor.redact("redis-cli -h cache -a r3dis PING; curl -fsS -u admin:hunter2 http://x/ --user 'bob:pw9'"))
			.isEqualTo("redis-cli -h cache -a <redacted> PING; curl -fsS -u admin:<redacted> http://x/ --user 'bob:<redacted>'");
		// the same flags elsewhere are not passwords: a port, a user and group, a database after a bare -p
		assertThat(Redactor.redact("ssh -p 2222 host; docker run -u 1000:1000 -p 8080:80 img; mysql -p appdb; tar -a x"))
			.isEqualTo("ssh -p 2222 host; docker run -u 1000:1000 -p 8080:80 img; mysql -p appdb; tar -a x");
		assertThat(Redactor.redactArgs(List.of("mysql", "--port", "3306", "-pS3cret", "-p", "appdb"))).containsExactly(
				"mysql", "--port", "3306", "-p<redacted>", "-p", "appdb");
		assertThat(Redactor.redactArgs(List.of("/usr/local/bin/redis-cli", "-a", "r3dis", "--no-auth-warning", "ping")))
			.containsExactly("/usr/local/bin/redis-cli", "-a", "<redacted>", "--no-auth-warning", "ping");
		assertThat(Redactor.redactArgs(List.of("curl", "-u", "admin:hunter2", "-uops:pw", "http://x/"))).containsExactly(
				"curl", "-u", "admin:<redacted>", "-uops:<redacted>", "http://x/");
		assertThat(Redactor.redactArgs(List.of("app", "-p", "8080", "-u", "1000:1000", "-a", "all"))).containsExactly(
				"app", "-p", "8080", "-u", "1000:1000", "-a", "all");
	}

	@Test
	void quotedClientPasswordsAndAnApiKeyAsCurlsUserAreBlankedToo() {
		assertThat(Redactor.redact("sh -c \"mysql -uroot -p'S3cret' app\"; mysqladmin ping -p\"S3cret\"; redis-cli -a 'pw' ping"))
			.isEqualTo("sh -c \"mysql -uroot -p'<redacted>' app\"; mysqladmin ping -p\"<redacted>\"; redis-cli -a '<redacted>' ping");
		assertThat(Redactor.redact("curl https://api.example/v1/charges -u sk_live_4eC39:")).isEqualTo(
				"curl https://api.example/v1/charges -u <redacted>:");
		assertThat(Redactor.redactArgs(List.of("curl", "-u", "sk_live_4eC39:", "https://api.example/")))
			.containsExactly("curl", "-u", "<redacted>:", "https://api.example/");
		// a client inside a quoted health check does not reach an option after the quote
		assertThat(Redactor.redact("--health-cmd 'curl -f http://localhost/' --user 999:999"))
			.isEqualTo("--health-cmd 'curl -f http://localhost/' --user 999:999");
		assertThat(Redactor.redact("--health-cmd 'curl -f -u ops:pw9 http://localhost/' --user 999:999"))
			.isEqualTo("--health-cmd 'curl -f -u ops:<redacted> http://localhost/' --user 999:999");
	}

	@Test
	void theClientCanBeTheEntrypointThatTheArgumentsGoTo() {
		assertThat(Redactor.redactArgs("redis-cli", List.of("-h", "cache", "-a", "s3cret", "ping")))
			.containsExactly("-h", "cache", "-a", "<redacted>", "ping");
		assertThat(Redactor.redactArgs("/usr/bin/mysql", List.of("-uroot", "-pS3cret"))).containsExactly("-uroot", "-p<redacted>");
		assertThat(Redactor.redactArgs("curl", List.of("-u", "admin:pw", "http://x/"))).containsExactly("-u", "admin:<redacted>", "http://x/");
		assertThat(Redactor.redactArgs("/app/server", List.of("-p", "8080", "-a", "all"))).containsExactly("-p", "8080", "-a", "all");
	}

	@Test
	void inAJsonTreeEachStringIsItsOwnTextAndSecretFieldsLoseTheirValues() throws Exception {
		JsonNode tree = FactsJson.MAPPER.readTree("{\"out\": \"--health-cmd 'curl -f http://localhost/'\", \"next\": \"--user 999:999\", "
				+ "\"db_password\": \"pw1\", \"lines\": [\"mysql -pS3cret\\nredis-cli -a pw2\", {\"apiToken\": \"t0k\"}], \"n\": 3}");
		assertThat(Redactor.redactJson(tree).toString()).isEqualTo("{\"out\":\"--health-cmd 'curl -f http://localhost/'\","
				+ "\"next\":\"--user 999:999\",\"db_password\":\"<redacted>\",\"lines\":[\"mysql -p<redacted>\\nredis-cli -a "
				+ "<redacted>\",{\"apiToken\":\"<redacted>\"}],\"n\":3}");
	}

	@Test
	void redactingTwiceChangesNothingMore() {
		String once = Redactor.redact("a --token X -e DB_PASSWORD=y Bearer z9 s3://k:p@b/o \"api_key\":\"v\"");
		assertThat(once).doesNotContain(" X ", "=y", " z9 ", ":p@", "\"v\"");
		assertThat(Redactor.redact(once)).isEqualTo(once);
		assertThat(Redactor.redactArgs(Redactor.redactArgs(List.of("--token", "X")))).containsExactly("--token", "<redacted>");
		String client = Redactor.redact("mysql -pX; redis-cli -a Y; curl -u a:Z");
		assertThat(client).doesNotContain("X", "Y", "Z");
		assertThat(Redactor.redact(client)).isEqualTo(client);
	}
}
