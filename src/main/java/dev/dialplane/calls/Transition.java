package dev.dialplane.calls;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A requested status change and what it learned about the call. {@code cause} is the short,
 * human-readable reason stored with the call's event ("callee answered", "LiveKit busy 486" …).
 * {@code occurredAt}, when known (a LiveKit webhook's time), dates the change instead of "now".
 */
public record Transition(
        CallStatus status,
        String cause,
        @Nullable EndReason endReason,
        @Nullable Integer sipStatusCode,
        @Nullable String sipStatus,
        @Nullable String errorMessage,
        @Nullable String livekitParticipantId,
        @Nullable String livekitSipCallId,
        @Nullable Instant occurredAt) {

    public static Transition to(CallStatus status, String cause) {
        return new Transition(status, cause, null, null, null, null, null, null, null);
    }

    public static Transition ended(CallStatus status, EndReason reason, String cause) {
        return new Transition(status, cause, reason, null, null, null, null, null, null);
    }

    public static Transition ended(CallStatus status, EndReason reason, String cause, Instant occurredAt) {
        return new Transition(status, cause, reason, null, null, null, null, null, occurredAt);
    }
}
