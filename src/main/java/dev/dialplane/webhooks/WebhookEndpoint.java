package dev.dialplane.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where an organization wants its events delivered. Its signing secret is not part of it: the
 * secret is shown once ({@link EndpointWithSecret}) and otherwise only read by the delivery worker.
 *
 * @param format how messages are written and signed; {@code eventTypes} are this format's
 * @param eventTypes the subscribed event types, or null for every event type (including ones added
 *     later)
 * @param previousSecretExpiresAt until when messages are also signed with the secret replaced by
 *     the last rotation; null when there is no such secret
 */
public record WebhookEndpoint(
        UUID id,
        UUID organizationId,
        String url,
        WebhookFormat format,
        @Nullable List<WebhookEventType> eventTypes,
        boolean enabled,
        @Nullable String description,
        @Nullable Instant previousSecretExpiresAt,
        Instant createdAt,
        Instant updatedAt) {

    public boolean subscribes(WebhookEventType type) {
        return eventTypes == null || eventTypes.contains(type);
    }
}
