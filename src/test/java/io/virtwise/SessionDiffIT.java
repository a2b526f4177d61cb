package io.virtwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.ProbeResult;
import io.virtwise.session.SessionEntry;
import io.virtwise.session.SessionJournal;
import io.virtwise.session.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Before/after reports through the packaged jar, and the HTML one looked at in headless Chromium. */
class SessionDiffIT {

	@TempDir
	Path dir;

	static ProbeResult rr(String path, double median) {
		return new ProbeResult("docker-network", path, "api", "tcp-rr-latency", "us", median, median * 0.9, median * 1.1,
				median * 1.3, 5, 7.1, false, List.of("sockperf pp --tcp -i 127.0.0.1"), "same-core");
	}

	void session(String name, String factsFile, List<ProbeResult> probes, List<String> recommendations) throws Exception {
		Facts facts = FactsJson.read(Path.of(factsFile)).withProbes(probes);
		try (SessionJournal j = SessionJournal.create(dir.resolve(name + SessionStore.SUFFIX),
				SessionEntry.header("test", null, "lab1", "2026-11-25T10:00:00Z"))) {
			j.append(SessionEntry.command(1, "2026-11-25T10:00:01Z", "advise", 0, 10, "recorded", facts, recommendations));
			j.append(SessionEntry.named(name, "2026-11-25T10:00:02Z"));
		}
	}

	String virtwise(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("java", "-Dvirtwise.home=.", "-Dvirtwise.sessions=" + dir, "-jar",
				"target/virtwise.jar"));
		command.addAll(List.of(args));
		Process p = new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(out).isZero();
		return out;
	}

	@Test
	void diffShowsRatiosRecommendationsAndFactsAndTheHtmlChartRenders() throws Exception {
		session("before", "src/test/resources/facts/untuned-host.json", List.of(rr("published-proxy", 18.0), rr("bridge-ip", 7.9)),
				List.of("MEDIUM HOST-HUGEPAGES-NONE host", "LOW HOST-THP-DEFRAG-ALWAYS host", "MEDIUM DOCKER-X api"));
		session("after", "src/test/resources/facts/tuned-host.json", List.of(rr("published-proxy", 8.0), rr("bridge-ip", 7.8)),
				List.of("HIGH DOCKER-X api", "INFO HOST-NEW host"));

		String text = virtwise("session", "diff", "before", "after");
		assertThat(text).contains("docker-network published-proxy tcp-rr-latency api same-core", "0.44x", "█")
			.contains("Recommendations that disappeared:\n  LOW HOST-THP-DEFRAG-ALWAYS host\n  MEDIUM HOST-HUGEPAGES-NONE host")
			.contains("Recommendations that appeared:\n  INFO HOST-NEW host")
			.contains("DOCKER-X api: MEDIUM -> HIGH")
			.contains("host.thp.defrag: always -> ");
		assertThat(virtwise("session", "diff", "before", "after", "--format", "markdown")).contains("| measurement | A | B | unit | B/A |");
		assertThat(FactsJson.MAPPER.readTree(virtwise("session", "diff", "before", "after", "--format", "json"))
			.get("probes").size()).isEqualTo(2);

		Path html = dir.resolve("report.html");
		assertThat(virtwise("session", "diff", "before", "after", "--format", "html", "--output", html.toString())).contains("Wrote");
		String page = Files.readString(html);
		assertThat(page).contains("<svg id=\"ratios\"").doesNotContain("<script src", "<link rel=\"stylesheet\"");

		Path shot = dir.resolve("report.png");
		Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--user-data-dir=" + dir.resolve("profile"), "--window-size=1200,900", "--screenshot=" + shot,
				html.toUri().toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
		assertThat(chromium.waitFor(90, TimeUnit.SECONDS)).isTrue();
		BufferedImage image = ImageIO.read(shot.toFile());
		assertThat(image).isNotNull();
		// the bars are drawn in #3b7dd8: a rendered chart has thousands of such pixels, a blank page none
		int bars = 0;
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				int rgb = image.getRGB(x, y);
				int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
				if (Math.abs(r - 0x3b) < 12 && Math.abs(g - 0x7d) < 12 && Math.abs(b - 0xd8) < 12) {
					bars++;
				}
			}
		}
		assertThat(bars).isGreaterThan(2000);
	}
}
