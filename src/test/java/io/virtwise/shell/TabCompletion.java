package io.virtwise.shell;

import java.util.ArrayList;
import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;

/** What JLine would offer for Tab at the end of a line, as the shell parses it. */
public final class TabCompletion {

	private TabCompletion() {
	}

	public static List<String> complete(Completer completer, String line) {
		List<Candidate> candidates = new ArrayList<>();
		completer.complete(null, new DefaultParser().parse(line, line.length(), Parser.ParseContext.COMPLETE), candidates);
		return candidates.stream().map(Candidate::value).toList();
	}
}
