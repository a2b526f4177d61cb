package io.virtwise.advice;

/** One fact that fired a rule: its dotted name in the facts model and the value seen. */
public record Evidence(String fact, String value) {
}
