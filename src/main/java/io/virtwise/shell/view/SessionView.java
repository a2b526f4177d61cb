package io.virtwise.shell.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.virtwise.facts.Facts;
import io.virtwise.redact.Redactor;
import io.virtwise.session.RecordedSession;
import io.virtwise.session.SessionEntry;
import io.virtwise.session.SessionStore;

/** Shows the sessions folder and one recorded session as text, JSON or (the list) Markdown. */
public final class SessionView {

	private SessionView() {
	}

	/** One session of {@code session list --format json}: what the text table shows, with the file. */
	record ListedSession(String name, String file, String at, String host, String tool, String rulesHash, int commandCount,
			int recommendationCount) {
	}

	/** One command of {@code session show --format json}, as recorded (already redacted when read back). */
	record ShownCommand(Integer seq, String at, String line, Integer exit, Long millis, String output, Facts facts,
			List<String> recommendations) {
	}

	public static String list(SessionStore.Listing listing, String folder, OutputFormat format) {
		return switch (format) {
			case JSON -> {
				Map<String, Object> document = new LinkedHashMap<>();
				document.put("folder", folder);
				document.put("sessions", listing.sessions().stream().map(SessionView::listed).toList());
				document.put("skipped", listing.problems());
				yield OutputFormat.json(document);
			}
			case MARKDOWN -> {
				List<List<String>> rows = new ArrayList<>();
				for (SessionStore.Summary s : listing.sessions()) {
					rows.add(List.of(s.displayName(), String.valueOf(s.header().at()), shown(s.header().host()),
							String.valueOf(s.commandCount()), String.valueOf(s.recommendationCount())));
				}
				StringBuilder out = new StringBuilder(MarkdownTable.of(List.of("name", "date", "host", "commands",
						"recommendations"), rows)).append("\n\n");
				listing.problems().forEach(p -> out.append("- skipped: ").append(p).append('\n'));
				out.append(listing.sessions().size()).append(" sessions in ").append(folder);
				yield Redactor.redact(out.toString());
			}
			default -> {
				StringBuilder out = new StringBuilder();
				out.append(String.format("%-34s %-21s %-16s %8s %16s%n", "NAME", "DATE", "HOST", "COMMANDS", "RECOMMENDATIONS"));
				for (SessionStore.Summary s : listing.sessions()) {
					out.append(String.format("%-34s %-21s %-16s %8d %16d%n", s.displayName(), s.header().at(), shown(s.header().host()),
							s.commandCount(), s.recommendationCount()));
				}
				for (String problem : listing.problems()) {
					out.append("skipped: ").append(problem).append('\n');
				}
				out.append(listing.sessions().size()).append(" sessions in ").append(folder);
				yield Redactor.redact(out.toString());
			}
		};
	}

	/** A header field as shown: the commands are redacted when read back, the header is here. */
	private static String shown(String headerField) {
		return Redactor.redact(String.valueOf(headerField));
	}

	private static ListedSession listed(SessionStore.Summary s) {
		SessionEntry h = s.header();
		return new ListedSession(s.displayName(), s.file().toString(), h.at(), h.host(), h.tool(), h.rulesHash(),
				s.commandCount(), s.recommendationCount());
	}

	public static String show(RecordedSession session, OutputFormat format) {
		SessionEntry h = session.header();
		if (format == OutputFormat.JSON) {
			Map<String, Object> document = new LinkedHashMap<>();
			document.put("name", session.displayName());
			document.put("file", session.file().toString());
			document.put("at", h.at());
			document.put("host", h.host());
			document.put("tool", h.tool());
			document.put("rulesHash", h.rulesHash());
			// a kill -9 cuts the last line short; it is left out, and said so
			document.put("truncatedTail", session.truncatedTail());
			document.put("commands", session.commands().stream()
				.map(c -> new ShownCommand(c.seq(), c.at(), c.line(), c.exit(), c.millis(), c.output(), c.facts(),
						c.recommendations()))
				.toList());
			return OutputFormat.json(document);
		}
		StringBuilder out = new StringBuilder();
		out.append("Session ").append(session.displayName()).append(": ").append(h.at()).append(" on ").append(shown(h.host()))
			.append(", virtwise ").append(shown(h.tool())).append(", ").append(session.commands().size()).append(" commands\n");
		for (SessionEntry c : session.commands()) {
			out.append("\n[").append(c.at()).append("] virtwise> ").append(c.line()).append("   (exit ").append(c.exit())
				.append(", ").append(c.millis()).append(" ms").append(c.facts() != null ? ", facts recorded" : "").append(")\n");
			if (c.output() != null && !c.output().isBlank()) {
				out.append(c.output().stripTrailing()).append('\n');
			}
		}
		// every field of a hand-edited file (dates, names) as the commands' output is: redacted once, whole
		return Redactor.redact(out.toString().stripTrailing());
	}
}
