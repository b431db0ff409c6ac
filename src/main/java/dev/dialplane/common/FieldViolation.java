package dev.dialplane.common;

/** One invalid input field: its JSON name (or path) and what is wrong with it. */
public record FieldViolation(String field, String message) {}
