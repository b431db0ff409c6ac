package dev.dialplane.common;

import java.time.Instant;

/**
 * The instants a client may send: years 0001 to 9999. Both databases store these (PostgreSQL's
 * {@code timestamptz} ends in 294276, but {@code Instant} reaches year 1,000,000,000, which it
 * refuses with an error instead of a row).
 */
public final class Timestamps {

    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");
    public static final String RANGE = "between " + MIN + " and 9999-12-31T23:59:59Z";

    private Timestamps() {}

    public static boolean inRange(Instant instant) {
        return !instant.isBefore(MIN) && !instant.isAfter(MAX);
    }
}
