package io.virtwise.facts;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON escapes DEL and the C1 controls as well as the C0 ones JSON requires, so JSON printed on a
 * terminal cannot carry a control sequence from imported data (U+009B is a CSI on some terminals).
 */
final class TerminalSafeEscapes extends CharacterEscapes {

	private static final int[] ASCII = standardAsciiEscapesForJSON();

	static {
		ASCII[0x7F] = ESCAPE_STANDARD;
	}

	@Override
	public int[] getEscapeCodesForAscii() {
		return ASCII;
	}

	@Override
	public SerializableString getEscapeSequence(int ch) {
		return ch >= 0x80 && ch <= 0x9F ? new SerializedString(String.format("\\u%04x", ch)) : null;
	}
}
