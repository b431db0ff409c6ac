package dev.dialplane.calls;

import dev.dialplane.orgs.Tenant;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A validated request to place a call. Exactly one way of choosing the agent applies: TalkifAI
 * calls use the outbound agent of {@code fromNumber}; MrAssistant calls name {@code agentId} and
 * may omit {@code fromNumber}.
 *
 * @param context JSON object text passed to the agent, or null
 * @param record record this call (it is also recorded when its agent or caller number says so)
 * @param idempotencyKey the request's {@code Idempotency-Key}: the organization's one call stored
 *     under it is the answer to every request that carries it, however many nodes run them
 * @param calleeTimezone the callee's zone as the client knows it (validated IANA id), used instead
 *     of the zones derived from the number
 * @param schedule when the call is to start, when it was asked to be scheduled; null: at once
 */
public record PlaceCall(
        Tenant tenant,
        CallDialect dialect,
        @Nullable UUID agentId,
        String toNumber,
        @Nullable String fromNumber,
        CallPriority priority,
        CallOptions options,
        @Nullable String context,
        boolean record,
        @Nullable String idempotencyKey,
        @Nullable ZoneId calleeTimezone,
        @Nullable Schedule schedule) {

    /**
     * A request to start the call later (Dialplane's extension of {@code /calls/outbound}). A
     * scheduled call starts once its time and its callee's calling window have both come.
     *
     * @param at the earliest start ({@code schedule_at}); null or past: as soon as the window holds
     * @param withinCallingWindow {@code within_calling_window}: outside the window, wait for it
     *     instead of refusing the call
     * @param latestAt {@code latest_at}: a call not started by then is canceled
     *     ({@code schedule_expired})
     */
    public record Schedule(
            @Nullable Instant at,
            boolean withinCallingWindow,
            @Nullable Instant latestAt) {}

    /** How far ahead a call may be scheduled. */
    public static final java.time.Duration MAX_SCHEDULE_AHEAD = java.time.Duration.ofDays(30);
}
