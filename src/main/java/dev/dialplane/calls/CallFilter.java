package dev.dialplane.calls;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** What {@code GET /calls} narrows the list to; every part is optional. */
public record CallFilter(
        Set<CallStatus> statuses,
        @Nullable UUID agentId,
        @Nullable String fromNumber,
        @Nullable String toNumber,
        @Nullable Instant createdAfter,
        @Nullable Instant createdBefore) {}
