package dev.dialplane.webhooks.web;

import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.webhooks.WebhookDelivery;
import dev.dialplane.webhooks.WebhookDeliveryService;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The delivery log of a campaign's own webhook ({@code webhook_url} of {@code POST /campaigns}):
 * the same rows and shapes as an endpoint's log, found by the campaign, whose endpoint is not one
 * of {@code /webhook-endpoints}.
 */
@RestController
@RequestMapping("/campaigns/{campaignId}/webhook-deliveries")
class CampaignWebhookDeliveryController {

    private final WebhookDeliveryService deliveries;
    private final JsonMapper json;

    CampaignWebhookDeliveryController(WebhookDeliveryService deliveries, JsonMapper json) {
        this.deliveries = deliveries;
        this.json = json;
    }

    @GetMapping
    Page<WebhookDelivery> list(
            Tenant tenant,
            @PathVariable UUID campaignId,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return deliveries.listForCampaign(tenant, campaignId, PageRequest.of(limit, cursor));
    }

    @GetMapping("/{deliveryId}")
    WebhookDeliveryController.DeliveryDetailResponse get(
            Tenant tenant, @PathVariable UUID campaignId, @PathVariable UUID deliveryId) {
        var detail = deliveries.getForCampaign(tenant, campaignId, deliveryId);
        return new WebhookDeliveryController.DeliveryDetailResponse(
                detail.delivery(), detail.attempts(), json.readTree(detail.payload()));
    }
}
