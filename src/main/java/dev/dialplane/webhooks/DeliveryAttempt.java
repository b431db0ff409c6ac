package dev.dialplane.webhooks;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request of a delivery and how it ended.
 *
 * @param statusCode the endpoint's HTTP status; null when no response arrived
 * @param error why the attempt failed (non-2xx, timeout, connection error); null when it succeeded
 */
public record DeliveryAttempt(
        int number,
        Instant attemptedAt,
        @Nullable Integer statusCode,
        @Nullable String error,
        long durationMs) {}
