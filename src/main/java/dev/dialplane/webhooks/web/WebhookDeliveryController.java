package dev.dialplane.webhooks.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.webhooks.DeliveryAttempt;
import dev.dialplane.webhooks.WebhookDelivery;
import dev.dialplane.webhooks.WebhookDeliveryService;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An endpoint's delivery log: what was sent, how each attempt went, and redelivery. */
@RestController
@RequestMapping("/webhook-endpoints/{endpointId}/deliveries")
class WebhookDeliveryController {

    private final WebhookDeliveryService deliveries;
    private final JsonMapper json;

    WebhookDeliveryController(WebhookDeliveryService deliveries, JsonMapper json) {
        this.deliveries = deliveries;
        this.json = json;
    }

    @GetMapping
    Page<WebhookDelivery> list(
            Tenant tenant,
            @PathVariable UUID endpointId,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        return deliveries.list(tenant, endpointId, PageRequest.of(limit, cursor));
    }

    @GetMapping("/{deliveryId}")
    DeliveryDetailResponse get(Tenant tenant, @PathVariable UUID endpointId, @PathVariable UUID deliveryId) {
        var detail = deliveries.get(tenant, endpointId, deliveryId);
        return new DeliveryDetailResponse(detail.delivery(), detail.attempts(), json.readTree(detail.payload()));
    }

    /** Due again now, same webhook-id and body; the retry schedule starts over if it fails. */
    @PostMapping("/{deliveryId}/redeliver")
    @ResponseStatus(HttpStatus.ACCEPTED)
    WebhookDelivery redeliver(Tenant tenant, @PathVariable UUID endpointId, @PathVariable UUID deliveryId) {
        return deliveries.redeliver(tenant, endpointId, deliveryId);
    }

    /**
     * A delivery with every attempt, oldest first, and the exact JSON body it sends.
     *
     * @param attemptHistory each attempt: {@code number}, {@code attempted_at}, {@code status_code},
     *     {@code error}, {@code duration_ms}
     */
    record DeliveryDetailResponse(
            @JsonUnwrapped WebhookDelivery delivery, List<DeliveryAttempt> attemptHistory, JsonNode payload) {}
}
