package dev.dialplane.webhooks;

import dev.dialplane.calls.CallOutcomeReported;
import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.calls.CallStatusChanged;
import dev.dialplane.calls.CallView;
import dev.dialplane.orgs.CreditLow;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns events into delivery rows. Each event is published inside the transaction that changed
 * the call (its status or its outcome) or the balance, and these listeners run synchronously in it: the deliveries commit or
 * roll back with the change itself, so a crash can neither lose an event nor announce one that
 * did not happen. Only rows are written here; sending is the worker's, after commit.
 */
@Component
class WebhookOutbox {

    private final WebhookEndpointRepository endpoints;
    private final DeliveryRepository deliveries;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final CallOutcomes outcomes;
    private final Clock clock;

    WebhookOutbox(
            WebhookEndpointRepository endpoints,
            DeliveryRepository deliveries,
            JsonMapper json,
            ApplicationEventPublisher events,
            CallOutcomes outcomes,
            Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.json = json;
        this.events = events;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    @EventListener
    void onCallStatusChanged(CallStatusChanged change) {
        var call = change.call();
        var type = WebhookEventType.forCall(call.status());
        // the call's updated_at is the moment of this change (its event's occurred_at); its outcome
        // is read only when some endpoint wants the event
        enqueue(
                call.organizationId(),
                type,
                () -> new Message(type, call.updatedAt(), new CallData(outcomes.view(call), change.sequence())),
                "call/" + call.id() + "/" + change.sequence(),
                call.id(),
                change.sequence());
    }

    /** A report is numbered among the call's events, so it is delivered in order with its status changes. */
    @EventListener
    void onCallOutcomeReported(CallOutcomeReported reported) {
        var call = reported.call();
        var type = WebhookEventType.CALL_OUTCOME_REPORTED;
        var message = new Message(
                type,
                reported.outcome().reportedAt(),
                new CallData(CallView.of(call, reported.outcome()), reported.sequence()));
        enqueue(
                call.organizationId(),
                type,
                () -> message,
                "call/" + call.id() + "/" + reported.sequence(),
                call.id(),
                reported.sequence());
    }

    @EventListener
    void onCreditLow(CreditLow low) {
        var data = new CreditLowData(low.organizationId(), low.balance(), low.threshold());
        var message = new Message(WebhookEventType.CREDIT_LOW, low.occurredAt(), data);
        enqueue(
                low.organizationId(),
                WebhookEventType.CREDIT_LOW,
                () -> message,
                "credit.low/" + low.organizationId() + "/" + low.occurredAt(),
                null,
                null);
    }

    private void enqueue(
            UUID organizationId,
            WebhookEventType type,
            Supplier<Message> message,
            String eventKey,
            @Nullable UUID callId,
            @Nullable Integer sequence) {
        var targets = endpoints.enabled(organizationId).stream()
                .filter(e -> e.subscribes(type))
                .toList();
        if (targets.isEmpty()) {
            return;
        }
        // one body for every endpoint and every attempt: the signed bytes never change
        var payload = json.writeValueAsString(message.get());
        var now = clock.instant();
        int queued = 0;
        for (var endpoint : targets) {
            var delivery = new DeliveryRepository.NewDelivery(
                    UUID.randomUUID(), endpoint.id(), newWebhookId(), type, eventKey, callId, sequence, payload, now);
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
