package dev.dialplane.calls;

import dev.dialplane.orgs.Tenant;
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
        @Nullable ZoneId calleeTimezone) {}
