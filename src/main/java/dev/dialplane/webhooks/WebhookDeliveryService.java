package dev.dialplane.webhooks;

import dev.dialplane.campaigns.CampaignService;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.Tenant;
import java.time.Clock;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The delivery log of an endpoint, and redelivery. */
@Service
public class WebhookDeliveryService {

    private final WebhookEndpointService endpoints;
    private final WebhookEndpointRepository endpointRows;
    private final DeliveryRepository deliveries;
    private final CampaignService campaigns;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    WebhookDeliveryService(
            WebhookEndpointService endpoints,
            WebhookEndpointRepository endpointRows,
            DeliveryRepository deliveries,
            CampaignService campaigns,
            ApplicationEventPublisher events,
            Clock clock) {
        this.endpoints = endpoints;
        this.endpointRows = endpointRows;
        this.deliveries = deliveries;
        this.campaigns = campaigns;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The deliveries to a campaign's own webhook ({@code webhook_url}), newest first; none when it
     * has no webhook.
     *
     * @throws ApiException 404 CAMPAIGN_NOT_FOUND
     */
    public Page<WebhookDelivery> listForCampaign(Tenant tenant, UUID campaignId, PageRequest page) {
        campaigns.get(tenant, campaignId);
        return endpointRows
                .ownedBy(campaignId)
                .map(endpoint -> Page.of(
                        deliveries.page(endpoint.id(), page), page.limit(), d -> new Cursor(d.createdAt(), d.id())))
                .orElseGet(() -> new Page<>(java.util.List.of(), false, null));
    }

    /**
     * One delivery to a campaign's own webhook, with its attempts and body.
     *
     * @throws ApiException 404 CAMPAIGN_NOT_FOUND, WEBHOOK_DELIVERY_NOT_FOUND
     */
    public DeliveryDetail getForCampaign(Tenant tenant, UUID campaignId, UUID deliveryId) {
        campaigns.get(tenant, campaignId);
        var endpoint = endpointRows
                .ownedBy(campaignId)
                .orElseThrow(() -> ApiException.notFound(
                        "WEBHOOK_DELIVERY_NOT_FOUND",
                        "No delivery " + deliveryId + " for campaign " + campaignId + ": it has no webhook_url."));
        var delivery = find(endpoint.id(), deliveryId);
        return new DeliveryDetail(delivery, deliveries.payload(deliveryId), deliveries.attempts(deliveryId));
    }

    /** The endpoint's deliveries, newest first. */
    public Page<WebhookDelivery> list(Tenant tenant, UUID endpointId, PageRequest page) {
        endpoints.get(tenant, endpointId);
        return Page.of(deliveries.page(endpointId, page), page.limit(), d -> new Cursor(d.createdAt(), d.id()));
    }

    public DeliveryDetail get(Tenant tenant, UUID endpointId, UUID deliveryId) {
        endpoints.get(tenant, endpointId);
        var delivery = find(endpointId, deliveryId);
        return new DeliveryDetail(delivery, deliveries.payload(deliveryId), deliveries.attempts(deliveryId));
    }

    /** Sends the delivery again as soon as possible, with the same webhook-id and body. */
    @Transactional
    public WebhookDelivery redeliver(Tenant tenant, UUID endpointId, UUID deliveryId) {
        var endpoint = endpoints.get(tenant, endpointId);
        find(endpointId, deliveryId);
        if (!endpoint.enabled()) {
            throw ApiException.conflict(
                    "WEBHOOK_ENDPOINT_DISABLED",
                    "Webhook endpoint " + endpointId + " is disabled, so nothing is sent to it; enable it "
                            + "(PATCH {\"enabled\": true}) and redeliver again.");
        }
        deliveries.redeliver(endpointId, deliveryId, clock.instant());
        events.publishEvent(new DeliveriesQueued(1));
        return find(endpointId, deliveryId);
    }

    /** A delivery of an endpoint the caller has already found in their organization. */
    private WebhookDelivery find(UUID endpointId, UUID deliveryId) {
        return deliveries
                .find(endpointId, deliveryId)
                .orElseThrow(() -> ApiException.notFound(
                        "WEBHOOK_DELIVERY_NOT_FOUND",
                        "No delivery " + deliveryId + " for webhook endpoint " + endpointId + "."));
    }
}
