package io.virtwise.advice;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.virtwise.kvm.xml.EditedText;

/**
 * One part of a recommendation's fix, kept typed so a consumer such as {@code fix apply} takes the
 * part it acts on instead of reading the printed lines back; {@link #lines()} is how it prints.
 */
public sealed interface FixStep {

	/** The step as the lines a user reads, in order. */
	List<String> lines();

	/** The step for one printed fix line: a comment line is a note, anything else a command. */
	static FixStep ofLine(String line) {
		return line.startsWith("#") ? new Note(line) : new HostCommand(line);
	}

	/** A command to run on the host, or in the guest or container its comment names. */
	record HostCommand(String line) implements FixStep {

		public HostCommand {
			Objects.requireNonNull(line, "line");
		}

		@Override
		public List<String> lines() {
			return List.of(line);
		}
	}

	/** A comment line: context, a check to make by hand, or why no change is printed. */
	record Note(String line) implements FixStep {

		public Note {
			Objects.requireNonNull(line, "line");
		}

		@Override
		public List<String> lines() {
			return List.of(line);
		}
	}

	/**
	 * An edit of a guest's persistent domain XML: printed as the line that saves the definition, the
	 * {@code virsh edit} heading and the unified diff.
	 *
	 * @param guest the guest whose XML changes
	 * @param backupFile where the printed line saves the definition first; null when no diff is shown
	 * @param diff the unified diff of the change; empty when only the edited XML is known
	 * @param newXml the guest's whole domain XML after the change, as the diff shows it; {@code fix apply} defines it
	 */
	record DomainEdit(String guest, String backupFile, List<String> diff, EditedText newXml) implements FixStep {

		/** Ends the line that saves the definition; {@code fix apply} makes its own backup instead. */
		public static final String BACKUP_NOTE = "# the way back";

		public DomainEdit {
			diff = diff == null ? List.of() : List.copyOf(diff);
		}

		@Override
		public List<String> lines() {
			if (diff.isEmpty()) {
				return List.of();
			}
			List<String> out = new ArrayList<>(diff.size() + 2);
			out.add("virsh dumpxml --inactive --security-info " + guest + " > " + backupFile + "   " + BACKUP_NOTE);
			out.add("# virsh edit " + guest + "   # make this change to the domain XML:");
			out.addAll(diff);
			return out;
		}

		DomainEdit withNewXml(EditedText xml) {
			return new DomainEdit(guest, backupFile, diff, xml);
		}
	}

	/**
	 * A container re-created with one change: the commands in order, each safe on its own (see
	 * {@code advice.fix.ContainerRecreate}).
	 */
	record ContainerRecreation(String container, List<String> commands) implements FixStep {

		public ContainerRecreation {
			Objects.requireNonNull(container, "container");
			commands = List.copyOf(commands);
		}

		@Override
		public List<String> lines() {
			return commands;
		}
	}
}
