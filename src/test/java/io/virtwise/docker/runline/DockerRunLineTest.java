package io.virtwise.docker.runline;

import io.virtwise.docker.inspect.RunLineRebuilder;
import io.virtwise.docker.inspect.RunLineRebuilderTest;
import io.virtwise.docker.inspect.DockerFixtures;
import io.virtwise.docker.inspect.EngineContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DockerRunLineTest {

	static DockerRunLine rebuilt(String name) {
		return RunLineRebuilder.rebuild(DockerFixtures.container(name), DockerFixtures.imageConfig(), RunLineRebuilderTest.engine("json-file"));
	}

	@Test
	void rebuildsThePublishedPortLine() {
		assertThat(rebuilt("vw-fx-bridge").render())
			.isEqualTo("docker run -d --name vw-fx-bridge -p 127.0.0.1:18080:80 --label io.virtwise.fixture=1 "
					+ "--label io.virtwise.test=1 virtwise/probe:latest");
	}

	@Test
	void rebuildsHostNetworking() {
		assertThat(rebuilt("vw-fx-host").values("--network")).containsExactly("host");
	}

	@Test
	void rebuildsVolumesBindsAndBothKindsOfTmpfs() {
		DockerRunLine line = rebuilt("vw-fx-storage");
		assertThat(line.values("-v")).hasSize(2);
		assertThat(line.values("-v").get(0)).isEqualTo("vw-fx-data:/data");
		assertThat(line.values("-v").get(1)).startsWith("/tmp/vw-fx-bind.").endsWith(":/srv/in:ro");
		assertThat(line.values("--mount")).containsExactly("type=tmpfs,destination=/run/cache");
		assertThat(line.values("--tmpfs")).containsExactly("/scratch:size=64m");
	}

	@Test
	void rebuildsLimitsAndRestartPolicy() {
		assertThat(rebuilt("vw-fx-limits").render()).contains(
				"--cpuset-cpus 1 --cpus 0.5 --memory 256m --restart unless-stopped");
		assertThat(rebuilt("vw-fx-quota").render()).contains(
				"--cpu-quota 150000 --cpu-period 100000 --security-opt seccomp=unconfined");
	}

	@Test
	void environmentValuesAreRedactedAndSecretLabelsToo() {
		String line = rebuilt("vw-fx-secret").render();
		assertThat(line).contains("-e 'DB_PASSWORD=<redacted>' -e 'APP_MODE=<redacted>'",
				"--label 'api.token=<redacted>'", "--label team=perf");
		assertThat(line).doesNotContain("hunter2", "prod", "tok-abc123");
	}

	@Test
	void secretsOnTheCommandLineAndInLabelValuesAreRedactedToo() {
		com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) DockerFixtures
			.container("vw-fx-secret").deepCopy();
		com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode) c.get("Config");
		config.putArray("Cmd").add("sh").add("-c").add("app --password=cmdlinepass42 --db postgres://u:urlpw888@db/x")
			.add("--token").add("ABCSECRETTOKEN");
		((com.fasterxml.jackson.databind.node.ObjectNode) config.get("Labels")).put("com.example.dsn", "postgres://u:dsnpw333@db/x");

		DockerRunLine line = RunLineRebuilder.rebuild(c, DockerFixtures.imageConfig(), EngineContext.UNKNOWN);
		assertThat(line.args()).containsExactly("sh", "-c", "app --password=<redacted> --db postgres://u:<redacted>@db/x",
				"--token", "<redacted>");
		assertThat(line.render()).contains("--label 'com.example.dsn=postgres://u:<redacted>@db/x'")
			.doesNotContain("cmdlinepass42", "urlpw888", "ABCSECRETTOKEN", "dsnpw333");
	}

	@Test
	void theCommandIsKeptWhenItIsNotTheImagesOwn() {
		assertThat(rebuilt("vw-fx-writer").args()).containsExactly("sh", "-c",
				"dd if=/dev/zero of=/var/tmp/blob bs=1M count=50 status=none && sleep infinity");
		assertThat(rebuilt("vw-fx-stopped").render())
			.isEqualTo("docker run --name vw-fx-stopped -p 18081:8080/udp --label io.virtwise.fixture=1 "
					+ "--label io.virtwise.test=1 virtwise/probe:latest echo 'it'\\''s done'");
	}

	@Test
	void flagsFromTheConfigItself() {
		com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) DockerFixtures
			.container("vw-fx-limits").deepCopy();
		((com.fasterxml.jackson.databind.node.ObjectNode) c.get("HostConfig")).put("AutoRemove", true).put("Privileged", true)
			.putArray("SecurityOpt").add("seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\"}");
		((com.fasterxml.jackson.databind.node.ObjectNode) c.get("Config")).put("Tty", true).put("OpenStdin", true);
		assertThat(RunLineRebuilder.rebuild(c, DockerFixtures.imageConfig(), RunLineRebuilderTest.engine("json-file")).render()).startsWith(
				"docker run -d -i -t --rm --name vw-fx-limits --cpuset-cpus 1 --cpus 0.5 --memory 256m "
						+ "--restart unless-stopped --privileged --security-opt seccomp=PROFILE.json ");
	}

	@Test
	void withoutTheImageConfigInheritedSettingsAreSpelledOut() {
		DockerRunLine line = RunLineRebuilder.rebuild(DockerFixtures.container("vw-fx-bridge"), null, EngineContext.UNKNOWN);
		assertThat(line.values("--label")).contains("io.virtwise.image=probe");
		assertThat(line.args()).containsExactly("/bin/sleep", "infinity");
	}

	@Test
	void networkHostReplacesTheNetworkAndDropsPublishedPorts() {
		DockerRunLine line = rebuilt("vw-fx-bridge").withNetworkHost();
		assertThat(line.render()).isEqualTo("docker run -d --name vw-fx-bridge --network host "
				+ "--label io.virtwise.fixture=1 --label io.virtwise.test=1 virtwise/probe:latest");
		assertThat(DockerRunLine.parse("docker run --net=bridge -p 80:80 -P img").withNetworkHost().render())
			.isEqualTo("docker run --network host img");
	}

	@Test
	void withoutPublishedPortsKeepsTheRest() {
		DockerRunLine line = rebuilt("vw-fx-bridge").withoutPublishedPorts();
		assertThat(line.has("-p")).isFalse();
		assertThat(line.values("--name")).containsExactly("vw-fx-bridge");
	}

	@Test
	void withVolumeGoesWithTheMountsAndReplacesTheSameDestination() {
		DockerRunLine line = rebuilt("vw-fx-writer").withVolume("vw-data:/var/tmp");
		assertThat(line.render()).startsWith("docker run -d --name vw-fx-writer -v vw-data:/var/tmp --label");
		DockerRunLine storage = rebuilt("vw-fx-storage").withVolume("scratch-vol:/scratch")
			.withVolume("cache:/run/cache:ro")
			.withVolume("other:/data");
		assertThat(storage.has("--tmpfs")).isFalse();
		assertThat(storage.has("--mount")).isFalse();
		assertThat(storage.values("-v")).hasSize(4).contains("scratch-vol:/scratch", "cache:/run/cache:ro", "other:/data")
			.doesNotContain("vw-fx-data:/data");
	}

	@Test
	void notesBecomeATrailingCommentAndSurviveParsing() {
		DockerRunLine line = rebuilt("vw-fx-bridge").withUserlandProxyNote().withUserlandProxyNote();
		assertThat(line.notes()).containsExactly(DockerRunLine.USERLAND_PROXY_NOTE);
		assertThat(line.render()).endsWith("virtwise/probe:latest  # " + DockerRunLine.USERLAND_PROXY_NOTE);
		assertThat(DockerRunLine.parse(line.render())).isEqualTo(line);
	}

	@Test
	void parseReadsBackEveryRebuiltLine() {
		for (String name : List.of("vw-fx-bridge", "vw-fx-host", "vw-fx-storage", "vw-fx-writer", "vw-fx-limits",
				"vw-fx-quota", "vw-fx-secret", "vw-fx-stopped", "vw-fx-exited")) {
			DockerRunLine line = rebuilt(name);
			assertThat(DockerRunLine.parse(line.render())).as(name).isEqualTo(line);
		}
	}

	@Test
	void parseAcceptsHandTypedLines() {
		DockerRunLine line = DockerRunLine.parse("docker run --rm -it --memory=1g -e \"A=b c\" --privileged alpine:3 sh");
		assertThat(line.options()).containsExactly(new DockerRunLine.Option("--rm", null),
				new DockerRunLine.Option("-it", null), new DockerRunLine.Option("--memory", "1g"),
				new DockerRunLine.Option("-e", "A=b c"), new DockerRunLine.Option("--privileged", null));
		assertThat(line.image()).isEqualTo("alpine:3");
		assertThat(line.args()).containsExactly("sh");
		assertThatThrownBy(() -> DockerRunLine.parse("docker ps")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> DockerRunLine.parse("docker run --name x")).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void optionsAreAddedInTheirUsualPlace() {
		DockerRunLine line = new DockerRunLine(List.of(), "img", List.of())
			.withOption("--label", "a=b")
			.withOption("--name", "x")
			.withCpusetCpus("2-3")
			.withOption("-p", "8080:80")
			.withCpusetCpus("4");
		assertThat(line.render()).isEqualTo("docker run --name x -p 8080:80 --cpuset-cpus 4 --label a=b img");
	}

	@Test
	void memoryIsWrittenTheWayDockerTakesIt() {
		assertThat(DockerRunLine.bytes(268435456L)).isEqualTo("256m");
		assertThat(DockerRunLine.bytes(2L << 30)).isEqualTo("2g");
		assertThat(DockerRunLine.bytes(1536L * 1024)).isEqualTo("1536k");
		assertThat(DockerRunLine.bytes(1000L)).isEqualTo("1000");
	}

	@Test
	void quotingIsSafeForAPosixShell() throws Exception {
		List<String> nasty = List.of("plain", "two words", "it's", "$(touch /tmp/vw-pwned)", "`id`", "a;b|c&d",
				"<redacted>", "", "*", "~root", "#not-a-comment", "new\nline", "back\\slash", "\"dq\"");
		DockerRunLine line = new DockerRunLine(List.of(new DockerRunLine.Option("--label", "k=$HOME")), "img", nasty);
		String rendered = line.render();
		// /bin/sh must split the rendered line into exactly the model's words, expanding nothing.
		List<String> words = shellWords(rendered.substring("docker run ".length()));
		List<String> expected = new ArrayList<>(List.of("--label", "k=$HOME", "img"));
		expected.addAll(nasty);
		assertThat(words).isEqualTo(expected);
		assertThat(DockerRunLine.parse(rendered)).isEqualTo(line);
	}

	@Test
	void everyKindOfMountIsListedWithItsSourceAndReadOnlyFlag() {
		DockerRunLine line = DockerRunLine.parse("docker run -v /data -v db:/var/lib/db:ro,z -v '/srv/host dir:/in:ro' "
				+ "--volume=./rel:/rel --mount type=volume,dst=/anon --mount 'type=bind,src=/etc/x,target=/x,readonly' "
				+ "--mount \"type=volume,source=v2,destination=/v2,volume-opt=o=\"\"addr=1,vers=4\"\",ro=true\" "
				+ "--tmpfs /run:ro,size=1m --tmpfs /scratch --volumes-from other img");

		assertThat(line.mounts()).extracting(m -> m.type() + " " + m.source() + " " + m.destination() + " " + m.readOnly())
			.containsExactly("volume null /data false", "volume db /var/lib/db true", "bind /srv/host dir /in true",
					"bind ./rel /rel false", "volume null /anon false", "bind /etc/x /x true", "volume v2 /v2 true",
					"tmpfs null /run true", "tmpfs null /scratch false");
	}

	@Test
	void aCreateLineIsARunLineWithoutDetachingAndProcessSubstitutionsAreOneWord() {
		String sub = "docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' 'db old'";
		DockerRunLine line = DockerRunLine.parse("docker run -dit --name db -e A=1 img").without("-e")
			.withProcessSubstitution("--env-file", sub).asCreate();

		assertThat(line.render()).isEqualTo("docker create -it --name db --env-file <(" + sub + ") img");
		assertThat(line.creates()).isTrue();
		DockerRunLine back = DockerRunLine.parse(line.render());
		assertThat(back.values("--env-file")).containsExactly("<(" + sub + ")");
		assertThat(back.image()).isEqualTo("img");
		assertThat(ShellQuoting.split("a <(b ')' \"(\" (c)) d").words()).containsExactly("a", "<(b ')' \"(\" (c))", "d");
	}

	@Test
	void replacingAnOptionKeepsItsPlace() {
		DockerRunLine line = DockerRunLine.parse("docker run --name db -v /data -p 80:80 img");
		DockerRunLine.Option anonymous = line.mounts().get(0).option();

		assertThat(line.replacing(anonymous, "-v", "abc:/data").render()).isEqualTo("docker run --name db -v abc:/data -p 80:80 img");
	}

	private static List<String> shellWords(String words) throws IOException, InterruptedException {
		Process sh = new ProcessBuilder("/bin/sh", "-c", "for w in " + words + "; do printf '%s\\0' \"$w\"; done")
			.redirectErrorStream(true)
			.start();
		String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
		List<String> split = new ArrayList<>(List.of(out.split("\0", -1)));
		split.remove(split.size() - 1);
		return split;
	}
}
