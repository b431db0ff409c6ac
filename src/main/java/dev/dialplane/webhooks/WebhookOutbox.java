package dev.dialplane.webhooks;

import dev.dialplane.calls.CallOutcomeReported;
import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatusChanged;
import dev.dialplane.calls.CallView;
import dev.dialplane.campaigns.CampaignCallEndedUnseen;
import dev.dialplane.campaigns.CampaignEvent;
import dev.dialplane.campaigns.CampaignService;
import dev.dialplane.campaigns.CampaignStatusChanged;
import dev.dialplane.campaigns.CampaignView;
import dev.dialplane.orgs.CreditDepleted;
import dev.dialplane.orgs.CreditLow;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.webhooks.DeliveryRepository.NewDelivery;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns events into delivery rows. Each event is published inside the transaction that changed
 * the call (its status or its outcome), the balance or a campaign's status, and these listeners
 * run synchronously in it: the deliveries commit or roll back with the change itself, so a crash
 * can neither lose an event nor announce one that did not happen. Only rows are written here;
 * sending is the worker's, after commit.
 */
@Component
class WebhookOutbox {

    private final WebhookEndpointRepository endpoints;
    private final DeliveryRepository deliveries;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final CallOutcomes outcomes;
    private final CampaignService campaigns;
    private final CallService calls;
    private final TransactionTemplate transactions;
    private final Clock clock;

    WebhookOutbox(
            WebhookEndpointRepository endpoints,
            DeliveryRepository deliveries,
            JsonMapper json,
            ApplicationEventPublisher events,
            CallOutcomes outcomes,
            CampaignService campaigns,
            CallService calls,
            TransactionTemplate transactions,
            Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.json = json;
        this.events = events;
        this.outcomes = outcomes;
        this.campaigns = campaigns;
        this.calls = calls;
        this.transactions = transactions;
        this.clock = clock;
    }

    @EventListener
    void onCallStatusChanged(CallStatusChanged change) {
        var call = change.call();
        var type = WebhookEventType.forCall(call.status());
        var talkifaiType = WebhookEventType.forTalkifaiCall(call.status()).orElse(null);
        // a campaign's own endpoint hears of its calls' ends only (when it asked to)
        var campaignEndpoint = type == WebhookEventType.CALL_COMPLETED || type == WebhookEventType.CALL_FAILED
                ? campaigns.placedBy(call.id()).flatMap(endpoints::ownedBy)
                : Optional.<WebhookEndpoint>empty();
        // the call's updated_at is the moment of this change (its event's occurred_at); its outcome
        // is read only when some endpoint wants the event
        enqueue(
                candidates(call.organizationId(), campaignEndpoint),
                type,
                () -> new Message(type, call.updatedAt(), new CallData(outcomes.view(call), change.sequence())),
                talkifaiType,
                talkifaiType == null ? Map::of : () -> TalkifaiMessages.call(talkifaiType, CallView.of(call)),
                call.updatedAt(),
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
                endpoints.enabled(call.organizationId()),
                type,
                () -> message,
                null,
                Map::of,
                reported.outcome().reportedAt(),
                "call/" + call.id() + "/" + reported.sequence(),
                call.id(),
                reported.sequence());
    }

    @EventListener
    void onCreditLow(CreditLow low) {
        var data = new CreditLowData(low.organizationId(), low.balance(), low.threshold());
        var message = new Message(WebhookEventType.CREDIT_LOW, low.occurredAt(), data);
        enqueue(
                endpoints.enabled(low.organizationId()),
                WebhookEventType.CREDIT_LOW,
                () -> message,
                WebhookEventType.CREDIT_LOW,
                () -> TalkifaiMessages.credit(low.organizationId(), low.balance(), low.threshold()),
                low.occurredAt(),
                "credit.low/" + low.organizationId() + "/" + low.occurredAt(),
                null,
                null);
    }

    /** TalkifAI's event only: Standard Webhooks endpoints have no {@code credit.depleted}. */
    @EventListener
    void onCreditDepleted(CreditDepleted depleted) {
        enqueue(
                endpoints.enabled(depleted.organizationId()),
                null,
                () -> {
                    throw new IllegalStateException("credit.depleted has no Standard Webhooks message");
                },
                WebhookEventType.CREDIT_DEPLETED,
                () -> TalkifaiMessages.credit(depleted.organizationId(), depleted.balance(), depleted.minutePrice()),
                depleted.occurredAt(),
                "credit.depleted/" + depleted.organizationId() + "/" + depleted.occurredAt(),
                null,
                null);
    }

    /**
     * A campaign's status change, to the organization's endpoints that subscribe to it and to the
     * campaign's own endpoint. {@code created} and {@code scheduled} are in the campaign's event
     * log only.
     */
    @EventListener
    void onCampaignStatusChanged(CampaignStatusChanged change) {
        var type = WebhookEventType.forCampaign(change.event().type()).orElse(null);
        if (type == null) {
            return;
        }
        var campaign = change.campaign();
        var event = change.event();
        var message = new Message(type, event.occurredAt(), new CampaignData(CampaignView.of(campaign), event));
        enqueue(
                candidates(campaign.organizationId(), endpoints.ownedBy(campaign.id())),
                type,
                () -> message,
                null,
                Map::of,
                event.occurredAt(),
                "campaign/" + campaign.id() + "/" + event.sequence(),
                null,
                null);
    }

    /**
     * The end of a campaign's call that ended before the campaign's contact pointed at it: the
     * campaign's own endpoint gets it now, as it would have in the call's transaction (the same
     * event key, so never twice). The organization's endpoints had it then.
     */
    @EventListener
    void onCampaignCallEndedUnseen(CampaignCallEndedUnseen unseen) {
        var call = unseen.call();
        var type = WebhookEventType.forCall(call.status());
        var endpoint = endpoints.ownedBy(unseen.campaignId());
        if (endpoint.isEmpty() || !endpoint.get().subscribes(type)) {
            return;
        }
        var ended = calls.events(new Tenant(call.organizationId()), call.id()).stream()
                .filter(e -> e.outcome() == null && e.status() == call.status())
                .findFirst();
        if (ended.isEmpty()) {
            return;
        }
        var sequence = ended.get().sequence();
        var at = ended.get().occurredAt();
        transactions.executeWithoutResult(tx -> enqueue(
                List.of(endpoint.get()),
                type,
                () -> new Message(type, at, new CallData(outcomes.view(call), sequence)),
                null,
                Map::of,
                at,
                "call/" + call.id() + "/" + sequence,
                call.id(),
                sequence));
    }

    /** The organization's enabled endpoints, and a campaign's own one. */
    private List<WebhookEndpoint> candidates(UUID organizationId, Optional<WebhookEndpoint> campaignEndpoint) {
        return Stream.concat(endpoints.enabled(organizationId).stream(), campaignEndpoint.stream())
                .toList();
    }

    /**
     * Writes one delivery per endpoint of {@code candidates} that is enabled and wants the event in
     * its format.
     *
     * @param type the Standard Webhooks event, null when that format has none
     * @param talkifaiType the TalkifAI event, null when that format has none
     * @param talkifaiData the TalkifAI message's {@code data}
     */
    private void enqueue(
            List<WebhookEndpoint> candidates,
            @Nullable WebhookEventType type,
            Supplier<Message> message,
            @Nullable WebhookEventType talkifaiType,
            Supplier<Map<String, Object>> talkifaiData,
            Instant occurredAt,
            String eventKey,
            @Nullable UUID callId,
            @Nullable Integer sequence) {
        var targets = candidates.stream()
                .filter(e -> {
                    var wanted = e.format() == WebhookFormat.TALKIFAI ? talkifaiType : type;
                    return e.enabled() && wanted != null && e.subscribes(wanted);
                })
                .toList();
        if (targets.isEmpty()) {
            return;
        }
        var now = clock.instant();
        // one Standard Webhooks body for every such endpoint and every attempt: the signed bytes never change
        String standardPayload = null;
        Map<String, Object> talkifai = null;
        int queued = 0;
        for (var endpoint : targets) {
            NewDelivery delivery;
            if (endpoint.format() == WebhookFormat.TALKIFAI && talkifaiType != null) {
                if (talkifai == null) {
                    talkifai = talkifaiData.get();
                }
                // TalkifAI's envelope carries its id, so each endpoint's body is its own
                var webhookId = TalkifaiMessages.newEventId();
                var payload = json.writeValueAsString(
                        TalkifaiMessages.envelope(webhookId, talkifaiType, occurredAt, talkifai));
                delivery = new NewDelivery(
                        UUID.randomUUID(),
                        endpoint.id(),
                        WebhookFormat.TALKIFAI,
                        webhookId,
                        talkifaiType,
                        eventKey,
                        callId,
                        sequence,
                        payload,
                        now);
            } else if (type != null) {
                if (standardPayload == null) {
                    standardPayload = json.writeValueAsString(message.get());
                }
                delivery = new NewDelivery(
                        UUID.randomUUID(),
                        endpoint.id(),
                        WebhookFormat.STANDARD,
                        newWebhookId(),
                        type,
                        eventKey,
                        callId,
                        sequence,
                        standardPayload,
                        now);
            } else {
                continue;
            }
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

    /** A campaign event's data: the campaign as GET /campaigns/{id} shows it (with the breakdown), and the event. */
    record CampaignData(CampaignView campaign, CampaignEvent event) {}
}
