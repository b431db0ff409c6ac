package dev.dialplane.calls;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One event of a call, numbered from 1 per call in the order it happened: a state change, or an
 * outcome report ({@code outcome} set; {@code status} is then the call's status when it arrived).
 */
public record CallEvent(
        UUID callId,
        int sequence,
        CallStatus status,
        @Nullable String cause,
        @Nullable Integer sipStatusCode,
        Instant occurredAt,
        @Nullable OutcomeReport outcome) {

    /** A state change. */
    public CallEvent(
            UUID callId,
            int sequence,
            CallStatus status,
            @Nullable String cause,
            @Nullable Integer sipStatusCode,
            Instant occurredAt) {
        this(callId, sequence, status, cause, sipStatusCode, occurredAt, null);
    }

    /** {@code status_changed} or {@code outcome_reported}. */
    public String type() {
        return outcome == null ? STATUS_CHANGED : OUTCOME_REPORTED;
    }

    static final String STATUS_CHANGED = "status_changed";
    static final String OUTCOME_REPORTED = "outcome_reported";
}
