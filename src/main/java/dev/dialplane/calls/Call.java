package dev.dialplane.calls;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One outbound call: the row that is the source of truth for it. It keeps a copy of what the call
 * was placed with, so its history stays true after agents, numbers or trunks change.
 *
 * @param calleeTimezones the IANA zones the callee's calling window was checked in (from the number
 *     or the request's {@code callee_timezone}); empty when none is known
 * @param calleeLocalTime the callee's local time (first zone, ISO-8601 with offset) when the call
 *     was placed, then when it was dialed
 * @param scheduleAt when the client asked the call to start ({@code schedule_at}), null for at once
 * @param latestAt when a call that has not started by then is canceled ({@code latest_at}), or null
 */
public record Call(
        UUID id,
        UUID organizationId,
        CallDialect dialect,
        UUID agentId,
        String agentName,
        @Nullable String livekitAgentName,
        @Nullable UUID phoneNumberId,
        @Nullable UUID sipTrunkId,
        String fromNumber,
        String toNumber,
        String roomName,
        CallStatus status,
        @Nullable EndReason endReason,
        @Nullable Integer sipStatusCode,
        @Nullable String sipStatus,
        @Nullable String errorMessage,
        CallPriority priority,
        CallOptions options,
        @Nullable String context,
        String participantIdentity,
        @Nullable String livekitParticipantId,
        @Nullable String livekitSipCallId,
        Instant createdAt,
        @Nullable Instant dialingAt,
        @Nullable Instant answeredAt,
        @Nullable Instant endedAt,
        Instant updatedAt,
        int version,
        boolean record,
        BigDecimal reservedCredits,
        @Nullable BigDecimal cost,
        @Nullable Instant maxEndAt,
        @Nullable String transferTo,
        Recording recording,
        BigDecimal ratePerMinute,
        @Nullable Instant waitDeadline,
        int dialAttempts,
        java.util.List<String> calleeTimezones,
        @Nullable String calleeLocalTime,
        @Nullable Instant scheduleAt,
        @Nullable Instant latestAt) {

    public static final String DIRECTION = "outbound";

    /** Whole seconds between answer and end, rounded up; 0 for a call that was never answered. */
    public @Nullable Long durationSeconds() {
        return durationSeconds(answeredAt, endedAt);
    }

    /** Whole seconds between an answer and an end, rounded up; 0 unanswered, null before the end. */
    public static @Nullable Long durationSeconds(@Nullable Instant answeredAt, @Nullable Instant endedAt) {
        if (endedAt == null) {
            return null;
        }
        if (answeredAt == null) {
            return 0L;
        }
        var millis = java.time.Duration.between(answeredAt, endedAt).toMillis();
        return Math.max(0, (millis + 999) / 1000);
    }

    /**
     * How long the callee's phone may ring if the call is dialed at {@code now}: its ringing
     * timeout, shortened so a caller who waits for the answer is answered within its own deadline.
     */
    public java.time.Duration ringingTimeoutAt(Instant now) {
        var ringing = java.time.Duration.ofSeconds(options.ringingTimeoutSeconds());
        if (waitDeadline == null) {
            return ringing;
        }
        var left = java.time.Duration.between(now, waitDeadline);
        return left.compareTo(ringing) < 0 ? left : ringing;
    }

    /** The most time extra beyond the ringing timeout a dial may take end to end (room, dispatch, slack). */
    static final java.time.Duration DIAL_SLACK = java.time.Duration.ofSeconds(90);

    /**
     * By when the node that sent this call's dial at {@code sentAt} must have recorded its outcome:
     * the ringing timeout, DTMF time (0.5 s per symbol) and {@link #DIAL_SLACK}. A call still
     * dialing after it lost its node.
     */
    public Instant dialDeadline(Instant sentAt) {
        var dtmf = options.dtmf() == null ? 0 : options.dtmf().length() * 500L;
        return sentAt.plus(ringingTimeoutAt(sentAt)).plusMillis(dtmf).plus(DIAL_SLACK);
    }

    Call withCost(BigDecimal charged) {
        return new Call(
                id,
                organizationId,
                dialect,
                agentId,
                agentName,
                livekitAgentName,
                phoneNumberId,
                sipTrunkId,
                fromNumber,
                toNumber,
                roomName,
                status,
                endReason,
                sipStatusCode,
                sipStatus,
                errorMessage,
                priority,
                options,
                context,
                participantIdentity,
                livekitParticipantId,
                livekitSipCallId,
                createdAt,
                dialingAt,
                answeredAt,
                endedAt,
                updatedAt,
                version,
                record,
                reservedCredits,
                charged,
                maxEndAt,
                transferTo,
                recording,
                ratePerMinute,
                waitDeadline,
                dialAttempts,
                calleeTimezones,
                calleeLocalTime,
                scheduleAt,
                latestAt);
    }

    /**
     * This call after {@code change}, which the caller has checked with
     * {@link CallStatus#canTransitionTo}. Timestamps follow the status: dialing, answered, ended.
     */
    Call apply(Transition change, Instant now) {
        var next = change.status();
        // a change dated by LiveKit (webhook time) is kept, but never before the call was answered
        var at = change.occurredAt() == null ? now : change.occurredAt();
        if (answeredAt != null && at.isBefore(answeredAt)) {
            at = answeredAt;
        }
        return new Call(
                id,
                organizationId,
                dialect,
                agentId,
                agentName,
                livekitAgentName,
                phoneNumberId,
                sipTrunkId,
                fromNumber,
                toNumber,
                roomName,
                next,
                change.endReason() != null ? change.endReason() : endReason,
                change.sipStatusCode() != null ? change.sipStatusCode() : sipStatusCode,
                change.sipStatus() != null ? change.sipStatus() : sipStatus,
                change.errorMessage() != null ? change.errorMessage() : errorMessage,
                priority,
                options,
                context,
                participantIdentity,
                change.livekitParticipantId() != null ? change.livekitParticipantId() : livekitParticipantId,
                change.livekitSipCallId() != null ? change.livekitSipCallId() : livekitSipCallId,
                createdAt,
                next == CallStatus.DIALING && dialingAt == null ? now : dialingAt,
                next == CallStatus.IN_PROGRESS && answeredAt == null ? now : answeredAt,
                next.isTerminal() && endedAt == null ? at : endedAt,
                now,
                version + 1,
                record,
                reservedCredits,
                cost,
                next == CallStatus.IN_PROGRESS && maxEndAt == null
                        ? now.plusSeconds(options.maxCallDurationSeconds())
                        : maxEndAt,
                transferTo,
                recording,
                ratePerMinute,
                waitDeadline,
                dialAttempts,
                calleeTimezones,
                calleeLocalTime,
                scheduleAt,
                latestAt);
    }
}
