package dev.dialplane.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Who picked up, as the agent in the room tells it: LiveKit Agents' answering-machine detection
 * says human, machine-ivr, machine-vm, machine-unavailable or uncertain.
 */
public enum AnsweredBy {
    HUMAN,
    MACHINE_IVR,
    MACHINE_VOICEMAIL,
    MACHINE_UNAVAILABLE,
    UNCERTAIN;

    /** The wire names, for validation messages and the OpenAPI document. */
    public static final String PATTERN = "^(human|machine_ivr|machine_voicemail|machine_unavailable|uncertain)$";

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AnsweredBy parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
