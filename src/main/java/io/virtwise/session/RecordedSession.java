package io.virtwise.session;

import java.nio.file.Path;
import java.util.List;

/** A session journal as read back: its header, its commands, and the name it was saved under. */
public record RecordedSession(Path file, SessionEntry header, List<SessionEntry> commands, String name,
		boolean truncatedTail) {

	public String displayName() {
		if (name != null) {
			return name;
		}
		String stem = file.getFileName().toString();
		return stem.endsWith(SessionStore.SUFFIX) ? stem.substring(0, stem.length() - SessionStore.SUFFIX.length()) : stem;
	}

	public int recommendationCount() {
		for (int i = commands.size() - 1; i >= 0; i--) {
			if (commands.get(i).recommendations() != null) {
				return commands.get(i).recommendations().size();
			}
		}
		return 0;
	}
}
