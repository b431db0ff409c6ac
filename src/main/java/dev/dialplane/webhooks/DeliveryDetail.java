package dev.dialplane.webhooks;

import java.util.List;

/** A delivery with the exact body it sends and its attempts, oldest first. */
public record DeliveryDetail(WebhookDelivery delivery, String payload, List<DeliveryAttempt> attempts) {}
