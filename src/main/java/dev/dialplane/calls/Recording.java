package dev.dialplane.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A call's audio recording (LiveKit room-composite egress, audio only, agent and callee on separate
 * channels). {@code location} is where the file is once LiveKit reports the egress ended.
 */
public record Recording(
        Status status,
        @Nullable String egressId,
        @Nullable String location,
        @Nullable String error) {

    public static final Recording DISABLED = new Recording(Status.DISABLED, null, null, null);

    public enum Status {
        /** Not requested for this call. */
        DISABLED,
        /** Requested; LiveKit has been asked to start it. */
        STARTING,
        RECORDING,
        COMPLETED,
        FAILED;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromDatabase(@Nullable String value) {
            return value == null ? DISABLED : valueOf(value.toUpperCase(Locale.ROOT));
        }

        public boolean isFinal() {
            return this == COMPLETED || this == FAILED || this == DISABLED;
        }
    }
}
