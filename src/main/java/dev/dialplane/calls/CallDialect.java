package dev.dialplane.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which compatible API placed the call. */
public enum CallDialect {
    /** {@code POST /telephony/outbound-call} (TalkifAI). */
    TALKIFAI,
    /** {@code POST /calls/outbound} (MrAssistant). */
    MRASSISTANT;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CallDialect fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
