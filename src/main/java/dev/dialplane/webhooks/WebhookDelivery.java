package dev.dialplane.webhooks;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One event on its way to one endpoint, as the delivery log shows it.
 *
 * @param webhookId the {@code webhook-id} header, the same on every attempt and redelivery
 * @param sequence the call event's sequence number; null for events that are not about a call
 * @param attempts attempts made so far
 * @param nextAttemptAt when the next attempt is due; null once delivered or failed
 */
public record WebhookDelivery(
        UUID id,
        UUID endpointId,
        String webhookId,
        WebhookEventType eventType,
        @Nullable UUID callId,
        @Nullable Integer sequence,
        DeliveryStatus status,
        int attempts,
        @Nullable Instant nextAttemptAt,
        @Nullable Integer lastStatusCode,
        @Nullable String lastError,
        Instant createdAt,
        @Nullable Instant deliveredAt) {}
