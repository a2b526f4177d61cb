package io.virtwise.shell;

import io.virtwise.shell.view.DockerView;
import io.virtwise.shell.view.Styler;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virtwise.docker.inspect.DockerFactsMapper;
import io.virtwise.docker.inspect.EngineContext;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.GuestFacts;
import io.virtwise.kvm.xml.DomainXmlParser;
import io.virtwise.redact.Redactor;
import io.virtwise.session.SessionEntry;
import io.virtwise.session.SessionJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The redactor as a property over a generated corpus: secret values drawn at random, put in every
 * recognised form, inside Docker inspect fields, domain XML and free text with random noise around
 * them, never survive on screen, in {@code facts export} or in a session file; and ordinary values,
 * generated the same way, come through unchanged. Seeded, so a failure names a case that repeats.
 */
class SecretCorpusTest {

	private static final long SEED = 18L;
	private static final int CASES = 3000;

	private static final String[] SECRET_WORDS = { "password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "jwt",
			"api key", "apikey", "master key", "encryption key", "app key", "credential", "credentials", "private key",
			"client secret", "auth token", "access token", "root password", "db pass", "pg pass", "account key",
			"shared access key", "session token", "refresh token" };

	private static final String[] NOISE = { "run", "--verbose", "-v", "app", "serve", "--port", "8080", "mode=fast", "x",
			"&&", "echo", "ok", "/usr/bin/env", "LOG_LEVEL=info", "--max-tokens", "512", "user=bob", "http://db:5432/app",
			"--keyboard", "us", "TOKEN_LENGTH=32", "--password-file", "/run/secrets/db", "--tokenizer", "bert" };

	/** A random secret: letters and digits, some punctuation that passwords carry, never a word of the noise. */
	private static String secret(Random r) {
		String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
		String punctuation = "!#%+=_.~^*";
		int length = 10 + r.nextInt(20);
		StringBuilder s = new StringBuilder("Q").append(r.nextInt(10));
		while (s.length() < length) {
			s.append(r.nextInt(8) == 0 ? punctuation.charAt(r.nextInt(punctuation.length())) : alphabet.charAt(r.nextInt(alphabet.length())));
		}
		return s.append('z').toString();
	}

	/** A secret-looking name in one of the spellings people use: DB_PASSWORD, dbPassword, db-password, db.password. */
	private static String name(Random r) {
		String[] words = SECRET_WORDS[r.nextInt(SECRET_WORDS.length)].split(" ");
		List<String> parts = new ArrayList<>();
		if (r.nextBoolean()) {
			parts.add(new String[] { "db", "app", "mysql", "redis", "admin", "x" }[r.nextInt(6)]);
		}
		parts.addAll(List.of(words));
		return switch (r.nextInt(4)) {
			case 0 -> String.join("_", parts).toUpperCase(Locale.ROOT);
			case 1 -> String.join("-", parts);
			case 2 -> String.join(".", parts);
			default -> {
				StringBuilder camel = new StringBuilder(parts.get(0));
				parts.subList(1, parts.size()).forEach(p -> camel.append(Character.toUpperCase(p.charAt(0))).append(p.substring(1)));
				yield camel.toString();
			}
		};
	}

	private static String noise(Random r) {
		StringBuilder out = new StringBuilder();
		for (int i = r.nextInt(4); i > 0; i--) {
			out.append(NOISE[r.nextInt(NOISE.length)]).append(' ');
		}
		return out.toString();
	}

	/** Every recognised form, with {S} the secret and {N} a secret-looking name. */
	private static final List<Function<Random, String>> FORMS = List.of(
			r -> "{N}={S}", r -> "{N}: {S}", r -> "{N} = \"{S}\"", r -> "\"{N}\": \"{S}\"", r -> "{'{N}': '{S}'}", r -> "--{N} {S}",
			r -> "--{N}={S}", r -> "--{N} \"{S}\"", r -> "-e {N}={S}", r -> "postgres://user:{S}@db:5432/app",
			r -> "https://{S}@github.com/o/r", r -> "curl -H 'Authorization: Bearer {S}' http://x/", r -> "Authorization: Basic {S}",
			r -> "Authorization: Token {S}", r -> "Cookie: theme=dark; session={S}", r -> "sshpass -p {S} ssh host",
			r -> "mongo -u root -p {S} admin", r -> "mysql -uroot -p{S} app", r -> "redis-cli -h cache -a {S} ping",
			r -> "curl -u admin:{S} http://x/", r -> "ldapsearch -x -w {S} -b dc=x", r -> "smbclient //srv/s -U alice%{S}",
			r -> "openssl enc -pass pass:{S} -in f", r -> "sh -c 'app --{N} {S}'", r -> "AccountName=a;AccountKey={S};EndpointSuffix=core",
			r -> "label={\"db\":{\"{N}\":\"{S}\"}}", r -> "io.systemd.credential:cred={S}", r -> "--password -{S}", r -> "{N} := {S}",
			// a value runs on through , & ; and a backslash unless another NAME= pair follows
			r -> "{N}=p,{S}", r -> "{N}=a&{S}", r -> "{N}=a;{S}", r -> "{N}=ab\\{S}", r -> "Authorization=Basic {S}",
			r -> "docker login -u bob -p {S} reg.example", r -> "ssh-keygen -N {S} -f k", r -> "htpasswd -b f alice {S}",
			r -> "passcode={S}", r -> "REDIS_AUTH={S}");

	/** Forms where the secret has a shape of its own: ghp_, AKIA, xoxb-, JWT, sk-, PEM, crypt. */
	private static String shapedSecret(Random r, StringBuilder text) {
		String body = secret(r).replaceAll("[^A-Za-z0-9]", "x");
		String s = switch (r.nextInt(6)) {
			case 0 -> "ghp_" + body + "abcdefghijklmnopqrstuvwxyz";
			case 1 -> "xoxb-1234567890-" + body;
			case 2 -> "sk-" + body + "0123456789abcdef";
			case 3 -> "eyJ" + body + ".eyJ" + body + "." + body;
			case 4 -> "$apr1$" + body;
			default -> "AKIA" + (body.toUpperCase(Locale.ROOT) + "0000000000000000").substring(0, 16);
		};
		text.append(noise(r)).append(s).append(' ').append(noise(r));
		return s;
	}

	private record Case(String text, String secret) {
	}

	private static List<Case> corpus() {
		Random r = new Random(SEED);
		List<Case> cases = new ArrayList<>();
		for (int i = 0; i < CASES; i++) {
			if (i % 7 == 6) {
				StringBuilder text = new StringBuilder();
				String s = shapedSecret(r, text);
				cases.add(new Case(text.toString().strip(), s));
				continue;
			}
			String form = FORMS.get(r.nextInt(FORMS.size())).apply(r);
			// a token standing alone as a URL's user is URL-safe, or it would end the user part
			String s = form.contains("://{S}@") ? secret(r).replaceAll("[^A-Za-z0-9]", "x") : secret(r);
			if (form.matches(".*[,&;\\\\]\\{S}")) {
				s = s.replace('=', 'x'); // after a separator, NAME= starts another pair
			}
			String text = noise(r) + form.replace("{N}", name(r)).replace("{S}", s) + " " + noise(r);
			cases.add(new Case(text.strip(), s));
		}
		cases.add(new Case("-----BEGIN PRIVATE KEY-----\nMIIEvQ7secretpemline\n-----END PRIVATE KEY-----", "MIIEvQ7secretpemline"));
		return cases;
	}

	@Test
	void noGeneratedSecretSurvivesInTextOrAsAnArgumentVector() {
		for (Case c : corpus()) {
			assertThat(Redactor.redact(c.text())).as(c.text()).doesNotContain(c.secret());
			if (!c.text().contains("\n")) {
				// the same words as a command's arguments (a PEM block is one argument, not words)
				assertThat(String.join(" ", Redactor.redactArgs(List.of(c.text().split(" "))))).as(c.text()).doesNotContain(c.secret());
			}
		}
	}

	@Test
	void noGeneratedSecretSurvivesInDockerFactsOnScreenInExportAndInASession(@TempDir Path dir) throws Exception {
		Random r = new Random(SEED + 1);
		DockerView view = new DockerView(new Styler(false));
		int n = 0;
		for (Case c : corpus()) {
			if (n++ % 3 != 0) {
				continue;
			}
			ObjectNode inspect = inspectWith(c.text(), r);
			ContainerFacts container = DockerFactsMapper.container(inspect, EngineContext.UNKNOWN, null);
			Facts facts = Facts.ofHost(null, "now", "corpus").withDocker(null, List.of(container));
			assertThat(view.show(container)).as(c.text()).doesNotContain(c.secret());
			assertThat(FactsJson.write(facts)).as(c.text()).doesNotContain(c.secret());
			Path session = dir.resolve("s" + n + ".jsonl");
			try (SessionJournal journal = SessionJournal.create(session, SessionEntry.header("t", null, "h", "now"))) {
				journal.append(SessionEntry.command(1, "now", "docker show " + c.text(), 0, 1, "output: " + c.text(), facts, List.of()));
			}
			assertThat(Files.readString(session)).as(c.text()).doesNotContain(c.secret());
		}
	}

	/** The text in a field picked at random: command, entrypoint, label, exec-form health check, log option. */
	private static ObjectNode inspectWith(String text, Random r) {
		ObjectNode inspect = FactsJson.MAPPER.createObjectNode();
		inspect.put("Id", "abc").put("Name", "/corpus");
		ObjectNode config = inspect.putObject("Config");
		config.put("Image", "img");
		ObjectNode host = inspect.putObject("HostConfig");
		List<String> words = List.of(text.split(" "));
		switch (r.nextInt(6)) {
			case 0 -> words.forEach(config.putArray("Cmd")::add);
			case 1 -> {
				ArrayNode entrypoint = config.putArray("Entrypoint");
				words.forEach(entrypoint::add);
			}
			case 2 -> config.putObject("Labels").put("com.example.note", text);
			case 3 -> {
				ArrayNode test = config.putObject("Healthcheck").putArray("Test").add("CMD");
				words.forEach(test::add);
			}
			case 4 -> config.putArray("Cmd").add("sh").add("-c").add(text);
			default -> {
				ObjectNode log = host.putObject("LogConfig");
				log.put("Type", "splunk");
				log.putObject("Config").put("splunk-url", text);
			}
		}
		config.putArray("Env").add("DB_PASSWORD=" + text);
		return inspect;
	}

	@Test
	void noGeneratedSecretSurvivesInDomainXmlFacts() throws Exception {
		Random r = new Random(SEED + 2);
		for (int i = 0; i < 600; i++) {
			String s = secret(r).replace("&", "x").replace("<", "x").replace("'", "x");
			String place = switch (r.nextInt(9)) {
				case 0 -> "<graphics type='vnc' passwd='" + s + "'/>";
				case 1 -> "<qemu:commandline><qemu:env name='X' value='" + s + "'/></qemu:commandline>";
				case 2 -> "<qemu:commandline><qemu:arg value='--" + name(r) + "'/><qemu:arg value='" + s + "'/></qemu:commandline>";
				case 3 -> "<description>" + noise(r).replace("&", "&amp;") + name(r) + "=" + s + " " + noise(r).replace("&", "&amp;")
						+ "</description>";
				case 4 -> "<title>" + name(r) + ": " + s + "</title>";
				case 5 -> "<os><type>hvm</type><cmdline>console=ttyS0 password=" + s + "</cmdline></os>";
				case 6 -> "<sysinfo type='smbios'><oemStrings><entry>io.systemd.credential:c=" + s + "</entry></oemStrings></sysinfo>";
				case 7 -> "<qemu:override><qemu:device alias='x'><qemu:frontend><qemu:property name='" + name(r)
						+ "' type='string' value='" + s + "'/></qemu:frontend></qemu:device></qemu:override>";
				default -> "<qemu:commandline><qemu:arg value='-drive'/><qemu:arg value='file=https://u:" + s
						+ "@host/i'/></qemu:commandline>";
			};
			String xml = "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'><name>g" + i
					+ "</name><memory unit='KiB'>1024</memory><vcpu>1</vcpu>" + place + "<devices/></domain>";
			GuestFacts guest = DomainXmlParser.parse(xml);
			assertThat(FactsJson.MAPPER.writeValueAsString(guest)).as(xml).doesNotContain(s);
			assertThat(Redactor.restoreXmlSecrets(guest.domainXml(), xml)).as(xml).isEqualTo(xml.replace("'" + s + "'", "'" + s + "'"));
		}
	}

	@Test
	void ordinaryValuesComeThroughUnchanged() {
		Random r = new Random(SEED + 3);
		String[] names = { "MODE", "LOG_LEVEL", "TOKEN_LENGTH", "max_tokens", "PORT", "HOST", "SORT_KEY", "key_id", "user",
				"PASSWORD_FILE", "password_min_length", "--max-tokens", "--password-file", "--keyboard", "--tokenizer", "--port" };
		for (int i = 0; i < 2000; i++) {
			String value = new String[] { "fast", "8080", "/run/secrets/db", "info", "bert-base", "name", "4096", "us", "true" }[r.nextInt(9)];
			String name = names[r.nextInt(names.length)];
			String text = noise(r) + (name.startsWith("--") ? name + " " + value : name + "=" + value) + " " + noise(r);
			assertThat(Redactor.redact(text)).as(text).isEqualTo(text);
		}
	}
}
