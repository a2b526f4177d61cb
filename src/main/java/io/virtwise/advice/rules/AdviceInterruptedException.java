package io.virtwise.advice.rules;

/**
 * Advice was interrupted (Ctrl-C) before it was complete: there is no partial answer. Unchecked so
 * that every caller of the engine need not declare it; the interrupt flag is set again when thrown.
 */
public class AdviceInterruptedException extends RuntimeException {

	public AdviceInterruptedException() {
		super("interrupted: no advice was given");
	}
}
