package dev.dialplane.webhooks;

import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The writable fields of an endpoint, already validated for shape.
 *
 * @param eventTypes null subscribes to every event type
 */
public record EndpointDraft(
        String url,
        WebhookFormat format,
        @Nullable List<WebhookEventType> eventTypes,
        boolean enabled,
        @Nullable String description) {

    public EndpointDraft {
        eventTypes = eventTypes == null ? null : normalized(eventTypes);
    }

    /** Duplicates dropped, in the enum's order, so the stored and returned lists are stable. */
    private static List<WebhookEventType> normalized(Collection<WebhookEventType> types) {
        return types.stream().distinct().sorted().toList();
    }
}
