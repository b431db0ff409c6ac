package dev.dialplane.agents;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How an agent produces speech. Only voice architectures can take phone calls. */
public enum AgentArchitecture {
    PIPELINE,
    REALTIME,
    TEXT;

    public boolean isVoice() {
        return this != TEXT;
    }

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentArchitecture fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
