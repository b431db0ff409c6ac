package dev.dialplane.webhooks;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.dialplane.calls.CallStatus;
import java.util.Arrays;

/** The events an endpoint can subscribe to, by their wire names ({@code call.completed} …). */
public enum WebhookEventType {
    CALL_SCHEDULED("call.scheduled"),
    CALL_QUEUED("call.queued"),
    CALL_DIALING("call.dialing"),
    CALL_RINGING("call.ringing"),
    CALL_ANSWERED("call.answered"),
    CALL_COMPLETED("call.completed"),
    CALL_FAILED("call.failed"),
    /** The agent (or the organization) reported what it learned about the call (POST /calls/{id}/outcome). */
    CALL_OUTCOME_REPORTED("call.outcome_reported"),
    CREDIT_LOW("credit.low");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The event a call's new status is announced as. Every unanswered ending is {@code call.failed}
     * (the call's {@code status} and {@code end_reason} say which), so a call has exactly one
     * terminal event: {@code call.completed} or {@code call.failed}.
     */
    public static WebhookEventType forCall(CallStatus status) {
        return switch (status) {
            case SCHEDULED -> CALL_SCHEDULED;
            case QUEUED -> CALL_QUEUED;
            case DIALING -> CALL_DIALING;
            case RINGING -> CALL_RINGING;
            case IN_PROGRESS -> CALL_ANSWERED;
            case COMPLETED -> CALL_COMPLETED;
            case BUSY, NO_ANSWER, FAILED, CANCELED -> CALL_FAILED;
        };
    }

    static WebhookEventType fromDatabase(String name) {
        return Arrays.stream(values())
                .filter(type -> type.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown stored event type " + name));
    }

    @JsonValue
    @Override
    public String toString() {
        return wireName;
    }
}
