package dev.dialplane.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Set;

/**
 * The life of a call (DESIGN.md §3). Transitions are checked here and nowhere else; a terminal
 * status is final, so late or repeated news about a call can never move it backwards.
 *
 * <pre>
 * scheduled ──► queued ──► dialing ──► ringing ──► in_progress ──► completed
 *     │           ▲           │           │
 *     │           └───────────┤           │   (back to queued only when the carrier refused the dial
 *     │           │           │           │    for capacity before the phone rang: retried, paced)
 *     └───────────┴───────────┴───────────┴──► busy | no_answer | failed | canceled
 * </pre>
 *
 * <p>A {@code scheduled} call waits for its {@code schedule_at} and its callee's calling window;
 * the dispatcher then queues it.
 */
public enum CallStatus {
    SCHEDULED,
    QUEUED,
    DIALING,
    RINGING,
    IN_PROGRESS,
    COMPLETED,
    BUSY,
    NO_ANSWER,
    FAILED,
    CANCELED;

    private static final Set<CallStatus> UNANSWERED_ENDINGS = Set.of(BUSY, NO_ANSWER, FAILED, CANCELED);

    public boolean canTransitionTo(CallStatus next) {
        return switch (this) {
            case SCHEDULED -> next == QUEUED || next == FAILED || next == CANCELED;
            case QUEUED -> next == DIALING || next == FAILED || next == CANCELED;
            case DIALING ->
                next == QUEUED || next == RINGING || next == IN_PROGRESS || UNANSWERED_ENDINGS.contains(next);
            case RINGING -> next == IN_PROGRESS || UNANSWERED_ENDINGS.contains(next);
            case IN_PROGRESS -> next == COMPLETED;
            case COMPLETED, BUSY, NO_ANSWER, FAILED, CANCELED -> false;
        };
    }

    public boolean isTerminal() {
        return this == COMPLETED || UNANSWERED_ENDINGS.contains(this);
    }

    /** Whether a client waiting for the dial's outcome can be answered: answered, or over. */
    public boolean isOutcome() {
        return this == IN_PROGRESS || isTerminal();
    }

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CallStatus fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
