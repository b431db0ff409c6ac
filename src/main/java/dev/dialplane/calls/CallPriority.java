package dev.dialplane.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An organization's own ordering of its queued calls; {@code ordinal()} is the stored rank. */
public enum CallPriority {
    LOW,
    NORMAL,
    HIGH,
    URGENT;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CallPriority parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
