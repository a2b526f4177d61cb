package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.virtwise.docker.runline.ShellQuoting;
import org.junit.jupiter.api.Test;

class CommandLineTokenizerTest {

	@Test
	void splitsOnWhitespaceAndKeepsQuotedWordsWhole() {
		assertThat(CommandLineTokenizer.tokenize("  advise   --facts 'my facts.json'  --format \"mark down\" "))
			.containsExactly("advise", "--facts", "my facts.json", "--format", "mark down");
	}

	@Test
	void singleQuotesAreLiteralAndDoubleQuotesTakeEscapes() {
		assertThat(CommandLineTokenizer.tokenize("a 'b\\\"c' \"d\\\"e\\\\f\" g\\ h"))
			.containsExactly("a", "b\\\"c", "d\"e\\f", "g h");
	}

	@Test
	void adjacentQuotedPartsJoinIntoOneWord() {
		assertThat(CommandLineTokenizer.tokenize("--x='a b'\"c\"d")).containsExactly("--x=a bcd");
	}

	@Test
	void hashStartsACommentOnlyAtTheStartOfAWord() {
		assertThat(CommandLineTokenizer.tokenize("host # show the host")).containsExactly("host");
		assertThat(CommandLineTokenizer.tokenize("facts export a#b.json")).containsExactly("facts", "export", "a#b.json");
		assertThat(CommandLineTokenizer.tokenize("# only a comment")).isEmpty();
		assertThat(CommandLineTokenizer.tokenize("echo '# not a comment'")).containsExactly("echo", "# not a comment");
	}

	@Test
	void emptyQuotesGiveAnEmptyWord() {
		assertThat(CommandLineTokenizer.tokenize("a '' b")).containsExactly("a", "", "b");
	}

	@Test
	void unclosedQuotesAreAUsageError() {
		assertThatThrownBy(() -> CommandLineTokenizer.tokenize("advise --facts 'x.json"))
			.isInstanceOf(VirtwiseException.class)
			.hasMessageContaining("unclosed single quote")
			.extracting(e -> ((VirtwiseException) e).exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThatThrownBy(() -> CommandLineTokenizer.tokenize("a \"b")).hasMessageContaining("unclosed double quote");
	}

	@Test
	void quoteRoundTrips() {
		for (String word : List.of("plain", "two words", "it's", "a\"b", "#x", "", "$HOME", "back\\slash", "a&b;c", "~x*")) {
			assertThat(CommandLineTokenizer.tokenize("cmd " + ShellQuoting.quote(word))).containsExactly("cmd", word);
		}
	}

	@Test
	void inDoubleQuotesABackslashEscapesOnlyWhatPosixSays() {
		assertThat(CommandLineTokenizer.tokenize("\"a\\nb\" \"\\$X \\` \\\\\"")).containsExactly("a\\nb", "$X ` \\");
	}

	@Test
	void rawSpellingAndCommentAreKeptForRunLines() {
		ShellQuoting.Words w = ShellQuoting.split("docker run -e 'A=b c' img # was: x");
		assertThat(w.words()).containsExactly("docker", "run", "-e", "A=b c", "img");
		assertThat(w.raw()).containsExactly("docker", "run", "-e", "'A=b c'", "img");
		assertThat(w.comment()).isEqualTo("was: x");
	}
}
