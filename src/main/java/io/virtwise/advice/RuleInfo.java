package io.virtwise.advice;

/** A loaded rule and the file it came from. */
public record RuleInfo(String name, String file) {
}
