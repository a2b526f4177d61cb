package io.virtwise.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** One case per form a hostile tester found leaking (issue 18): each stayed readable before this redactor. */
class RedactionFormsTest {

	private static void blanks(String text, String secret) {
		assertThat(Redactor.redact(text)).as(text).doesNotContain(secret).contains(Redactor.REDACTED);
	}

	@Test
	void optionsWithShortOrUnusualSecretNames() {
		for (String option : List.of("--db-pass", "--pwd", "--pass", "--passphrase", "--jwt", "--master-key", "--client-secret",
				"--encryption-key", "--app-key", "--api-token", "--private-key", "--storepass", "--cookie")) {
			blanks("app " + option + " Zq8secretvalue", "Zq8secretvalue");
			blanks("app " + option + "=Zq8secretvalue", "Zq8secretvalue");
		}
	}

	@Test
	void aValueThatStartsWithADashAfterAPasswordOption() {
		blanks("app --password -x9secret", "-x9secret");
		blanks("app --password -x", "-x");
		assertThat(Redactor.redactArgs(List.of("app", "--password", "-x"))).containsExactly("app", "--password", "<redacted>");
		// after other secret options a dash still starts the next option
		assertThat(Redactor.redact("app --token -v")).isEqualTo("app --token -v");
	}

	@Test
	void assignmentsWithShortSecretNames() {
		for (String name : List.of("DB_PASS", "PGPASS", "Pwd", "encryption_key", "APP_KEY", "MYSQL_ROOT_PASSWORD", "jwt_secret",
				"AccountKey", "SharedAccessKey", "x-api-pass", "session")) {
			blanks(name + "=Zq8secretvalue", "Zq8secretvalue");
		}
	}

	@Test
	void connectionStringsKeepTheirOtherFields() {
		assertThat(Redactor.redact("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=bXlrZXk9PQ==;EndpointSuffix=core"))
			.isEqualTo("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<redacted>;EndpointSuffix=core");
		assertThat(Redactor.redact("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=k3y+/=="))
			.isEqualTo("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=<redacted>");
		assertThat(Redactor.redact("Server=db;Database=app;Uid=sa;Pwd=Pa55word;")).isEqualTo("Server=db;Database=app;Uid=sa;Pwd=<redacted>;");
	}

	@Test
	void pythonAndJsonDictionaries() {
		assertThat(Redactor.redact("{'password': 'x9secret', 'user': 'bob'}")).isEqualTo("{'password': '<redacted>', 'user': 'bob'}");
		assertThat(Redactor.redact("{\"db\": {\"password\": \"x9 secret\"}}")).isEqualTo("{\"db\": {\"password\": \"<redacted>\"}}");
		assertThat(Redactor.redact("{\\\"token\\\": \\\"x9secret\\\"}")).isEqualTo("{\\\"token\\\": \\\"<redacted>\\\"}");
	}

	@Test
	void headers() {
		assertThat(Redactor.redact("curl -H 'Authorization: Token t0ps3cret' http://x/"))
			.isEqualTo("curl -H 'Authorization: Token <redacted>' http://x/");
		assertThat(Redactor.redact("curl -H \"Cookie: theme=dark; session=s3ss10n\" http://x/"))
			.isEqualTo("curl -H \"Cookie: theme=<redacted>; session=<redacted>\" http://x/");
		assertThat(Redactor.redact("Authorization: abcdef123")).isEqualTo("Authorization: <redacted>");
	}

	@Test
	void clientsOwnPasswordOptions() {
		assertThat(Redactor.redact("sshpass -p s3cret ssh host")).isEqualTo("sshpass -p <redacted> ssh host");
		assertThat(Redactor.redact("mongo -u root -p s3cret admin")).isEqualTo("mongo -u root -p <redacted> admin");
		assertThat(Redactor.redact("ldapsearch -x -D cn=admin -w s3cret -b dc=x")).isEqualTo("ldapsearch -x -D cn=admin -w <redacted> -b dc=x");
		assertThat(Redactor.redact("smbclient //srv/share -U alice%s3cret")).isEqualTo("smbclient //srv/share -U alice%<redacted>");
		assertThat(Redactor.redact("smbclient //srv/share -Ualice%s3cret")).isEqualTo("smbclient //srv/share -Ualice%<redacted>");
		assertThat(Redactor.redact("openssl enc -aes256 -pass pass:s3cret -in f")).isEqualTo("openssl enc -aes256 -pass pass:<redacted> -in f");
		assertThat(Redactor.redact("openssl rsa -passin env:KEYPASS -in k")).isEqualTo("openssl rsa -passin env:KEYPASS -in k");
		assertThat(Redactor.redact("mysql -pS3cret")).isEqualTo("mysql -p<redacted>");
		assertThat(Redactor.redact("redis-cli -a s3cret ping")).isEqualTo("redis-cli -a <redacted> ping");
		assertThat(Redactor.redact("curl -u u:s3cret http://x/")).isEqualTo("curl -u u:<redacted> http://x/");
	}

	@Test
	void urlsWithAPasswordOrATokenAlone() {
		assertThat(Redactor.redact("git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r"))
			.isEqualTo("git clone https://<redacted>@github.com/o/r");
		assertThat(Redactor.redact("https://x9f3k2m1q8w7e6r5t4y3@host/x")).isEqualTo("https://<redacted>@host/x");
		assertThat(Redactor.redact("ssh://git@github.com/o/r postgres://postgres@db/x"))
			.isEqualTo("ssh://git@github.com/o/r postgres://postgres@db/x");
		assertThat(Redactor.redact("amqp://user:p@ss@mq:5672/")).isEqualTo("amqp://user:<redacted>@mq:5672/");
	}

	@Test
	void wellKnownTokensWhereverTheyStand() {
		for (String token : List.of("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
				"AKIAIOSFODNN7EXAMPLE", "xoxb-123456789012-abcdefghijkl", "sk-proj-abcdefghijklmnopqrstuvwxyz012345",
				"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
				"glpat-abcdefghijklmnopqrst")) {
			blanks("note: " + token + " was here", token);
		}
	}

	@Test
	void pemPrivateKeysAndBasicAuthHashes() {
		String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA75x\nq9Zx==\n-----END RSA PRIVATE KEY-----";
		assertThat(Redactor.redact("key: |\n" + pem)).doesNotContain("MIIEowIBAAKCAQEA75x", "q9Zx==")
			.contains("-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----");
		assertThat(Redactor.redact("-----BEGIN CERTIFICATE-----\nMIIBpublic\n-----END CERTIFICATE-----")).contains("MIIBpublic");
		assertThat(Redactor.redact("traefik.http.middlewares.a.basicauth.users=admin:$$apr1$$H6uskkkW$$IgXLP6ewTrSuBkTrqE8wj/"))
			.isEqualTo("traefik.http.middlewares.a.basicauth.users=admin:<redacted>");
		assertThat(Redactor.redact("bob:$2y$05$abcdefghijklmnopqrstuuXxYyZz0123456789abcdefghij")).isEqualTo("bob:<redacted>");
	}

	@Test
	void highEntropyValuesUnderKeyNamesButNotWords() {
		assertThat(Redactor.redact("SIGNING_KEY=8f3a9c1d7e2b4f6a0c5d")).isEqualTo("SIGNING_KEY=<redacted>");
		assertThat(Redactor.redact("SORT_KEY=name key=value")).isEqualTo("SORT_KEY=name key=value");
		assertThat(Redactor.redact("rbd:pool/img:id=admin:key=AQBvaBFZAAAAABAAgUv2M1bUoJBD7MMFTWsZQ==:auth_supported=cephx"))
			.isEqualTo("rbd:pool/img:id=admin:key=<redacted>:auth_supported=cephx");
	}

	@Test
	void labelsHoldingJsonWithSecrets() {
		assertThat(Redactor.redactValues(Map.of("com.example.config", "{\"db\":{\"host\":\"db\",\"password\":\"n3sted\"}}")))
			.containsEntry("com.example.config", "{\"db\":{\"host\":\"db\",\"password\":\"<redacted>\"}}");
		assertThat(Redactor.redactValue("x-api-pass", "s3cret")).isEqualTo(Redactor.REDACTED);
		assertThat(Redactor.redactValue("max-size", "10m")).isEqualTo("10m");
	}

	@Test
	void anExecFormArgumentVectorInJsonText() {
		assertThat(Redactor.redact("[\"CMD\",\"x\",\"--password\",\"y9secret\"]")).doesNotContain("y9secret");
	}

	@Test
	void ordinaryThingsStay() {
		for (String text : List.of("--max-tokens 100", "TOKEN_LENGTH=32", "--password-file /run/secrets/db", "--keyboard us",
				"--tokenizer bert", "passthrough=true", "--no-password -v", "key_id=abc", "ssh -p 2222 host", "the bearer of news",
				"docker run -u 1000:1000 -p 8080:80 img", "http://host:8080/path", "--session-timeout 30", "PWD=/app",
				"compass=north bypass=yes")) {
			assertThat(Redactor.redact(text)).as(text).isEqualTo(text);
		}
	}

	@Test
	void unquotedValuesRunOnThroughSeparatorsUntilAnotherPair() {
		blanks("PASSWORD=p,LEAKM1", "LEAKM1");
		blanks("PGPASSWORD=a&LEAKM5", "LEAKM5");
		blanks("password=ab\\LEAK2", "LEAK2");
		blanks("password=x;LEAKM9", "LEAKM9");
		// another NAME= pair, or a blank, still ends the value
		assertThat(Redactor.redact("https://x/?password=s3cr3t&user=bob")).endsWith("&user=bob");
		assertThat(Redactor.redact("PASSWORD=s3cr3t; echo done")).isEqualTo("PASSWORD=<redacted>; echo done");
		assertThat(Redactor.redact("PASSWORD=s3cr3t,mode=fast")).isEqualTo("PASSWORD=<redacted>,mode=fast");
		assertThat(Redactor.redact("PASSWORD=s3cr3t && echo")).isEqualTo("PASSWORD=<redacted> && echo");
	}

	@Test
	void authorizationWithEquals() {
		assertThat(Redactor.redact("Authorization=Basic LEAKM7")).isEqualTo("Authorization=Basic <redacted>");
	}

	@Test
	void labelKeysHoldingTokens() {
		Map<String, String> out = Redactor.redactValues(Map.of("auth.ghp_LEAKKEY0123456789abcdefghij", "on"));
		assertThat(out.keySet().toString()).doesNotContain("LEAKKEY");
		com.fasterxml.jackson.databind.node.ObjectNode json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
		json.putObject("labels").put("auth.ghp_LEAKKEY0123456789abcdefghij", "on");
		assertThat(Redactor.redactJson(json).toString()).doesNotContain("LEAKKEY").contains("\"on\"");
	}

	@Test
	void moreClientsNamesAndTokens() {
		blanks("docker login -u bob -p LEAKDL1 registry.example", "LEAKDL1");
		blanks("ssh-keygen -t ed25519 -N LEAKSK1 -f key", "LEAKSK1");
		blanks("htpasswd -b -c /etc/nginx/.htpasswd alice LEAKHT1", "LEAKHT1");
		blanks("htpasswd -cb /etc/nginx/.htpasswd alice LEAKHT2", "LEAKHT2");
		blanks("passcode=LEAKPC1", "LEAKPC1");
		blanks("REDIS_AUTH=LEAKRA1", "LEAKRA1");
		blanks("sent Bearer LEAKabcdefghijklmnopQRST to the api", "LEAKabcdefghijklmnopQRST");
		assertThat(Redactor.redact("the bearer of this certificate is entitled to nothing"))
			.isEqualTo("the bearer of this certificate is entitled to nothing");
		blanks("redisAuth: LEAKRA2", "LEAKRA2");
		blanks("key AIzaSyLEAKabcdefghijklmnopqrstuvwxyz012", "AIzaSyLEAK");
		// docker's -p outside login publishes a port
		assertThat(Redactor.redact("docker run -p 8080:80 nginx")).isEqualTo("docker run -p 8080:80 nginx");
		assertThat(Redactor.redact("htpasswd -c /etc/nginx/.htpasswd alice")).isEqualTo("htpasswd -c /etc/nginx/.htpasswd alice");
	}
}
