package io.virtwise.kvm.fix;

/** A fix that was not applied, and why: the shell turns the kind into its exit status. Nothing was changed. */
public class DomainFixException extends RuntimeException {

	/** Why: the input (an image, a backup, the edited XML) is unusable, the guest's state forbids it, or Ctrl-C. */
	public enum Kind { BAD_INPUT, UNAVAILABLE, INTERRUPTED }

	private final Kind kind;

	public DomainFixException(Kind kind, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
	}

	static DomainFixException badInput(String message, Throwable cause) {
		return new DomainFixException(Kind.BAD_INPUT, message, cause);
	}

	public Kind kind() {
		return kind;
	}
}
