package dev.dialplane.compliance;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a number came onto the do-not-call list. */
public enum DncSource {
    /** {@code POST /dnc}. */
    API,
    /** {@code POST /dnc/import}. */
    IMPORT,
    /** The callee told the agent not to call again (an agent-reported outcome). */
    AGENT;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DncSource fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
