package dev.dialplane.webhooks;

import dev.dialplane.calls.CallStatusChanged;
import dev.dialplane.calls.CallView;
import dev.dialplane.orgs.CreditLow;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns events into delivery rows. Both events are published inside the transaction that changed
 * the call or the balance, and these listeners run synchronously in it: the deliveries commit or
 * roll back with the change itself, so a crash can neither lose an event nor announce one that
 * did not happen. Only rows are written here; sending is the worker's, after commit.
 */
@Component
class WebhookOutbox {

    private final WebhookEndpointRepository endpoints;
    private final DeliveryRepository deliveries;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    WebhookOutbox(
            WebhookEndpointRepository endpoints,
            DeliveryRepository deliveries,
            JsonMapper json,
            ApplicationEventPublisher events,
            Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.json = json;
        this.events = events;
        this.clock = clock;
    }

    @EventListener
    void onCallStatusChanged(CallStatusChanged change) {
        var call = change.call();
        var type = WebhookEventType.forCall(call.status());
        // the call's updated_at is the moment of this change (its event's occurred_at)
        var message = new Message(type, call.updatedAt(), new CallData(CallView.of(call), change.sequence()));
        enqueue(
                call.organizationId(),
                message,
                "call/" + call.id() + "/" + change.sequence(),
                call.id(),
                change.sequence());
    }

    @EventListener
    void onCreditLow(CreditLow low) {
        var data = new CreditLowData(low.organizationId(), low.balance(), low.threshold());
        var message = new Message(WebhookEventType.CREDIT_LOW, low.occurredAt(), data);
        enqueue(
                low.organizationId(),
                message,
                "credit.low/" + low.organizationId() + "/" + low.occurredAt(),
                null,
                null);
    }

    private void enqueue(
            UUID organizationId, Message message, String eventKey, @Nullable UUID callId, @Nullable Integer sequence) {
        var targets = endpoints.enabled(organizationId).stream()
                .filter(e -> e.subscribes(message.type()))
                .toList();
        if (targets.isEmpty()) {
            return;
        }
        // one body for every endpoint and every attempt: the signed bytes never change
        var payload = json.writeValueAsString(message);
        var now = clock.instant();
        int queued = 0;
        for (var endpoint : targets) {
            var delivery = new DeliveryRepository.NewDelivery(
                    UUID.randomUUID(),
                    endpoint.id(),
                    newWebhookId(),
                    message.type(),
                    eventKey,
                    callId,
                    sequence,
                    payload,
                    now);
            if (deliveries.insert(delivery)) {
                queued++;
            }
        }
        if (queued > 0) {
            events.publishEvent(new DeliveriesQueued(queued));
        }
    }

    private static String newWebhookId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The Standard Webhooks envelope: {@code {"type", "timestamp", "data"}}. */
    record Message(WebhookEventType type, Instant timestamp, Object data) {}

    record CallData(CallView call, int sequence) {}

    record CreditLowData(UUID organizationId, BigDecimal balance, BigDecimal threshold) {}
}
