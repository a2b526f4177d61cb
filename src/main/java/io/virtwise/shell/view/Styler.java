package io.virtwise.shell.view;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * Colours for terminal output that fall back to plain text on a dumb terminal, when output is
 * not a terminal, or when NO_COLOR / --no-color asks for it. Views call it; they never emit
 * escape codes themselves.
 */
public final class Styler {

	private volatile boolean enabled;

	public Styler(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean enabled() {
		return enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String bold(String text) {
		return style(text, AttributedStyle.BOLD);
	}

	public String dim(String text) {
		return style(text, AttributedStyle.DEFAULT.faint());
	}

	public String red(String text) {
		return style(text, AttributedStyle.BOLD.foreground(AttributedStyle.RED));
	}

	public String yellow(String text) {
		return style(text, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
	}

	public String green(String text) {
		return style(text, AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
	}

	public String cyan(String text) {
		return style(text, AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN));
	}

	private String style(String text, AttributedStyle style) {
		return enabled ? new AttributedString(text, style).toAnsi() : text;
	}
}
