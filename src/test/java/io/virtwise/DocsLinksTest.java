package io.virtwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The README and docs/ point at each other and at the sources: a moved or renamed file must not leave a dead link. */
class DocsLinksTest {

	// [text](target) and ![alt](target); the target ends at the first space (a title may follow) or ')'
	private static final Pattern INLINE_LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\)");
	private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

	@Test
	void everyRelativeLinkInTheReadmeAndDocsPointsToAFileThatExists() throws IOException {
		List<String> dead = new ArrayList<>();
		for (Path page : pages()) {
			for (String target : relativeLinks(Files.readString(page))) {
				Path resolved = page.toAbsolutePath().getParent().resolve(target.replaceFirst("#.*", "")).normalize();
				if (!Files.exists(resolved)) {
					dead.add(page + " -> " + target);
				}
			}
		}
		assertThat(dead).as("relative links whose file does not exist").isEmpty();
	}

	@Test
	void linksInsideCodeAreNotLinksAndWebAddressesAreNotFiles() {
		String page = String.join("\n", "see [the docs](docs/a.md#part), [site](https://example.org/x) and [top](#top)",
				"`[not](a-link.md)`", "```", "[nor](this.md)", "```", "![image](img/b.png \"title\")");

		assertThat(relativeLinks(page)).containsExactly("docs/a.md#part", "img/b.png");
	}

	static List<Path> pages() throws IOException {
		List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
		try (Stream<Path> docs = Files.list(Path.of("docs"))) {
			docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	/** Link targets that name a file in this checkout: not in code, not a web address, not an anchor on the same page. */
	static List<String> relativeLinks(String markdown) {
		List<String> targets = new ArrayList<>();
		boolean inFence = false;
		for (String line : markdown.split("\n")) {
			if (line.stripLeading().startsWith("```")) {
				inFence = !inFence;
				continue;
			}
			if (inFence) {
				continue;
			}
			Matcher link = INLINE_LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
			while (link.find()) {
				String target = link.group(1);
				if (!target.startsWith("#") && !target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
					targets.add(target);
				}
			}
		}
		return targets;
	}
}
