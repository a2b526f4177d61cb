package io.virtwise.shell.view;

import io.virtwise.shell.KvmCommands;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.RuleTesting;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.GuestFacts;
import io.virtwise.probe.core.ProbeReport;
import org.junit.jupiter.api.Test;

/**
 * Imported data with control characters in every string, through every text view and the guard
 * every command's output passes: nothing on screen but text, tab, newline and, when colour is on,
 * colour sequences. Seeded, so a failure repeats.
 */
class TerminalTextPropertiesTest {

	static final List<String> FACTS = List.of("src/test/resources/facts/docker-untuned.json",
			"src/test/resources/facts/untuned-host.json", "src/test/resources/shell/kvm-no-hugepages.json");

	// ESC sequences that retitle, clear, move, hide or report; raw C1 (CSI, OSC); BEL, CR, backspace, DEL
	static final String[] HOSTILE = { "\u001B]0;owned\u0007", "\u001B[2J", "\u001B[H", "\u001B[8m", "\u001B[6n", "\u009B2J",
		"\u009D0;t\u009C", "\u0007", "\r", "\b", "\u007F", "\u001B", "\u001B[", "\u001B[31", "\u001B[1;31m", "\u0000", "\u0085" };

	// what may reach the screen with colour on: only Styler's colours
	static final String COLOUR = "(0|1|2|22|31|32|33|36|39)";
	static final Pattern SGR = Pattern.compile("\u001B\\[(" + COLOUR + "(;" + COLOUR + ")*)?m");

	@Test
	void noViewPutsARawControlSequenceOnScreen() throws Exception {
		Random random = new Random(18);
		for (int round = 0; round < 15; round++) {
			for (String file : FACTS) {
				Facts facts = hostile(file, random);
				for (boolean colour : new boolean[] { false, true }) {
					for (String text : views(facts, new Styler(colour))) {
						assertClean(screen(text, colour, random), colour);
					}
				}
			}
		}
	}

	@Test
	void jsonOutputEscapesEveryControlCharacter() throws Exception {
		Random random = new Random(7);
		for (String file : FACTS) {
			Facts facts = hostile(file, random);
			String json = FactsJson.write(facts);
			assertThat(json.chars().filter(c -> c != '\n' && TerminalText.isControl((char) c))).as(file).isEmpty();
			assertThat(FactsJson.parse(json, file)).isEqualTo(facts);
		}
	}

	@Test
	void aSequenceSplitAcrossWritesIsStillCaught() {
		StringWriter screen = new StringWriter();
		PrintWriter out = TerminalText.guard(screen, () -> true);
		out.print("a\u001B");
		out.print("[2");
		out.print("J b \u001B[1;3");
		out.print("1m red\u001B[0m");
		out.print("\u001B");
		out.flush();
		assertThat(screen.toString()).isEqualTo("a^[[2J b \u001B[1;31m red\u001B[0m^[");
	}

	@Test
	void stylersColoursPassUnchangedAndNoOtherSequenceDoes() {
		Styler styler = new Styler(true);
		String styled = styler.bold("b") + styler.dim("d") + styler.red("r") + styler.yellow("y") + styler.green("g") + styler.cyan("c");
		assertThat(styled).contains("\u001B[");
		assertThat(screen(styled, true, new Random(1))).isEqualTo(styled);
		// the same form from data: conceal, inverse, black on black, blink
		assertThat(screen("\u001B[8mx\u001B[7my\u001B[30;40mz\u001B[5m", true, new Random(1)))
			.isEqualTo("^[[8mx^[[7my^[[30;40mz^[[5m");
	}

	@Test
	void errorLinesEchoAtMostABoundedPieceOfInput() {
		String line = "x".repeat(100_000);
		String clipped = TerminalText.clip("unknown command '" + line + "' (type 'help' to list commands)");
		assertThat(clipped).startsWith("unknown command '" + "x".repeat(TerminalText.ECHO_LIMIT - 1) + "…")
			.endsWith(" (type 'help' to list commands)");
		assertThat(TerminalText.clip("a\u001B]0;t\u0007\nb " + "word ".repeat(1000))).hasSizeLessThanOrEqualTo(TerminalText.MESSAGE_LIMIT + 1)
			.startsWith("a^[]0;t^G b word").doesNotContain("\n").endsWith("…");
	}

	/** What the user sees of {@code text}, written in random pieces as a command's output is. */
	static String screen(String text, boolean colour, Random random) {
		StringWriter screen = new StringWriter();
		PrintWriter out = TerminalText.guard(screen, () -> colour);
		for (int i = 0; i < text.length();) {
			int n = Math.min(text.length() - i, 1 + random.nextInt(40));
			out.write(text, i, n);
			i += n;
		}
		out.flush();
		return screen.toString();
	}

	static void assertClean(String screen, boolean colour) {
		String rest = colour ? SGR.matcher(screen).replaceAll("") : screen;
		for (int i = 0; i < rest.length(); i++) {
			char c = rest.charAt(i);
			assertThat(TerminalText.isControl(c)).as("U+%04X at %d in %s", (int) c, i, rest.substring(Math.max(0, i - 40), i))
				.isFalse();
		}
	}

	static List<String> views(Facts facts, Styler styler) {
		List<String> out = new ArrayList<>();
		DockerView docker = new DockerView(styler);
		out.add(docker.list(facts.containers()));
		for (ContainerFacts c : facts.containers()) {
			out.add(docker.show(c));
		}
		if (facts.docker() != null) {
			out.add(docker.engine(facts.docker(), facts.host() == null ? null : facts.host().hostname()));
		}
		if (facts.host() != null) {
			out.add(new HostView(styler).text(facts.host()));
		}
		for (GuestFacts g : facts.guests()) {
			if (g.emulatorPin() != null) { // kvm show reads live guests, which always say; older facts files may not
				out.add(KvmCommands.text(g));
			}
		}
		List<Recommendation> advice = RuleTesting.advise(facts);
		for (OutputFormat format : List.of(OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN)) { // advise's formats
			out.add(new AdviceView(styler).render(advice, RuleTesting.rules(), "facts \u001B]0;x\u0007", "down\u001B[2J", null, format));
		}
		return out;
	}

	/** The facts of {@code file} with control sequences spliced into every string value and map key. */
	static Facts hostile(String file, Random random) throws Exception {
		JsonNode tree = FactsJson.MAPPER.readTree(Files.readString(Path.of(file)));
		poison(tree, random);
		return FactsJson.parse(tree, file);
	}

	static void poison(JsonNode node, Random random) {
		if (node instanceof ObjectNode object) {
			List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
			for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
				fields.add(it.next());
			}
			for (Map.Entry<String, JsonNode> field : fields) {
				if (field.getValue().isTextual() && !field.getKey().equals("schemaVersion")) {
					object.set(field.getKey(), TextNode.valueOf(splice(field.getValue().asText(), random)));
				}
				else {
					poison(field.getValue(), random);
				}
				if (field.getKey().equals("labels") && field.getValue() instanceof ObjectNode labels) {
					labels.put(splice("com.example.key", random), splice("value", random)); // keys are imported text too
				}
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				if (array.get(i).isTextual()) {
					array.set(i, TextNode.valueOf(splice(array.get(i).asText(), random)));
				}
				else {
					poison(array.get(i), random);
				}
			}
		}
	}

	static String splice(String text, Random random) {
		StringBuilder s = new StringBuilder(text);
		for (int n = 1 + random.nextInt(3); n > 0; n--) {
			String piece = random.nextInt(4) == 0 ? String.valueOf((char) (random.nextBoolean() ? random.nextInt(0x20) : 0x7F + random.nextInt(0x21)))
					: HOSTILE[random.nextInt(HOSTILE.length)];
			s.insert(random.nextInt(s.length() + 1), piece);
		}
		return s.toString();
	}
}
