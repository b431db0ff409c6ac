package dev.dialplane.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where one target of a campaign stands. {@code calling}: a call for it was placed (or is being
 * placed) and has not ended; {@code blocked}: its number is on the do-not-call list, never dialed.
 */
public enum ContactStatus {
    PENDING,
    CALLING,
    COMPLETED,
    FAILED,
    BLOCKED,
    CANCELED;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of this wire name ({@code pending} …), or null when there is none. */
    public static @org.jspecify.annotations.Nullable ContactStatus parse(String name) {
        for (var status : values()) {
            if (status.toString().equals(name)) {
                return status;
            }
        }
        return null;
    }

    static ContactStatus fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
