package dev.dialplane.webhooks;

import dev.dialplane.campaigns.CampaignWebhookRequested;
import java.time.Clock;
import java.util.ArrayList;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * MrAssistant's per-campaign webhook as an endpoint owned by its campaign: the same row, secret
 * encryption, outbox, retries and delivery log as an organization's endpoints, so nothing of
 * delivery exists twice. It is hidden from {@code /webhook-endpoints} and gets only its campaign's
 * events: the {@code campaign.*} ones, and with {@code notify_on_call_complete} each of the
 * campaign's calls' {@code call.completed} or {@code call.failed}.
 */
@Component
class CampaignEndpoints {

    private final WebhookEndpointRepository endpoints;
    private final EndpointSecrets secrets;
    private final Clock clock;

    CampaignEndpoints(WebhookEndpointRepository endpoints, EndpointSecrets secrets, Clock clock) {
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** In the transaction creating the campaign: its endpoint exists exactly when the campaign does. */
    @EventListener
    void onCampaignWebhookRequested(CampaignWebhookRequested requested) {
        var types = new ArrayList<>(WebhookEventType.campaignEvents());
        if (requested.notifyOnCallComplete()) {
            types.add(WebhookEventType.CALL_COMPLETED);
            types.add(WebhookEventType.CALL_FAILED);
        }
        var now = clock.instant();
        var endpoint = new WebhookEndpoint(
                UUID.randomUUID(),
                requested.organizationId(),
                requested.url(),
                WebhookFormat.STANDARD,
                types.stream().sorted().toList(),
                true,
                "campaign " + requested.campaignId(),
                null,
                now,
                now);
        endpoints.insert(endpoint, secrets.sealCurrent(endpoint.id(), requested.secret()), requested.campaignId());
    }
}
