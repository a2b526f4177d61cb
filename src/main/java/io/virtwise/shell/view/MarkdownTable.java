package io.virtwise.shell.view;

import java.util.List;

/** A GitHub-flavoured Markdown table for the list commands' {@code --format markdown}. */
public final class MarkdownTable {

	private MarkdownTable() {
	}

	public static String of(List<String> header, List<List<String>> rows) {
		StringBuilder out = new StringBuilder();
		row(out, header);
		out.append("|").append("---|".repeat(header.size())).append('\n');
		rows.forEach(r -> row(out, r));
		return out.toString().stripTrailing();
	}

	private static void row(StringBuilder out, List<String> cells) {
		out.append('|');
		// a pipe would end the cell and a newline the row
		cells.forEach(c -> out.append(' ').append(c == null ? "" : c.replace("|", "\\|").replace('\n', ' ')).append(" |"));
		out.append('\n');
	}
}
