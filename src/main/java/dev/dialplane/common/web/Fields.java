package dev.dialplane.common.web;

import dev.dialplane.common.E164;
import dev.dialplane.common.FieldViolation;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Request fields read into values, each problem added to {@code violations} rather than thrown, so
 * one 422 names every bad field of a body.
 */
public final class Fields {

    private Fields() {}

    /** An ISO-8601 instant with its offset ({@code 2027-01-12T14:00:00Z}, {@code …+01:00}); null when absent or bad. */
    public static @Nullable Instant instant(String field, @Nullable String raw, List<FieldViolation> violations) {
        if (raw == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation(
                    field, "must be an ISO-8601 date-time with its offset, such as 2027-01-12T14:00:00Z"));
            return null;
        }
    }

    /**
     * Text a client sends for Dialplane to keep: no NUL or unpaired surrogate (which the database
     * cannot store), no bidirectional overrides, and on one line unless {@code multiLine}.
     * True when it is fine; else the problem is added to {@code violations}.
     */
    public static boolean text(String field, String raw, boolean multiLine, List<FieldViolation> violations) {
        var problem = TextRules.problem(raw, multiLine, true);
        if (problem != null) {
            violations.add(new FieldViolation(field, problem));
            return false;
        }
        return true;
    }

    /** A phone number in E.164, spaces allowed and stripped; null when absent or bad. */
    public static @Nullable String e164(String field, @Nullable String raw, List<FieldViolation> violations) {
        if (raw == null) {
            return null;
        }
        try {
            return E164.parse(field, raw.replace(" ", ""));
        } catch (E164.InvalidNumber e) {
            violations.add(new FieldViolation(field, e.getMessage()));
            return null;
        }
    }
}
