package dev.dialplane.calls;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One state change of a call, numbered from 1 per call in the order it happened. */
public record CallEvent(
        UUID callId,
        int sequence,
        CallStatus status,
        @Nullable String cause,
        @Nullable Integer sipStatusCode,
        Instant occurredAt) {}
