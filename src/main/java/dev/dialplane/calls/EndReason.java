package dev.dialplane.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a call ended; refines the terminal {@link CallStatus}. The README lists each with its cause. */
public enum EndReason {
    // the call was not answered
    BUSY,
    NO_ANSWER,
    /** The caller's own wait for an answer ran out and Dialplane hung up the ringing call. */
    ANSWER_TIMEOUT,
    DECLINED,
    INVALID_NUMBER,
    TRUNK_AUTH_FAILED,
    CARRIER_ERROR,
    /**
     * The carrier refused the dial for capacity (calls per second, channels) on every attempt the
     * call had: its retries ran out, or its caller's time did before the next retry.
     */
    CARRIER_CAPACITY,
    LIVEKIT_UNAVAILABLE,
    LIVEKIT_REJECTED,
    /** A scheduled or queued call had not started by its {@code latest_at}. */
    SCHEDULE_EXPIRED,
    /** The call waited in the queue longer than its caller would wait (or than the maximum queue time). */
    QUEUE_TIMEOUT,
    /**
     * The number was on the organization's do-not-call list before the call was dialed (put there
     * while the call waited): it was canceled undialed.
     */
    DNC,
    /** Dialplane could not prepare the dial (trunk gone, credentials unreadable). */
    CONFIGURATION_ERROR,
    /** The node dialing the call stopped before LiveKit reported the outcome; the callee was not connected. */
    DIAL_INTERRUPTED,
    INTERNAL_ERROR,
    // the call was answered
    HANGUP_BY_CALLEE,
    /** The room was deleted or the callee removed by someone other than Dialplane, normally your agent. */
    HANGUP_BY_AGENT,
    /** {@code POST /calls/{id}/hangup}. */
    HANGUP_API,
    MAX_DURATION,
    TRANSFERRED,
    AGENT_ERROR,
    MEDIA_FAILURE,
    CONNECTION_LOST,
    /** The room closed without LiveKit reporting the callee leaving. */
    ROOM_CLOSED,
    /** LiveKit no longer had the callee, and no webhook said when or why it left (found by reconciliation). */
    HANGUP_UNOBSERVED;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EndReason fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
