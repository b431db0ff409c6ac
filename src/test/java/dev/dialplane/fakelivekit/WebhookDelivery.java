package dev.dialplane.fakelivekit;

import java.time.Instant;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * One POST the fake made to the webhook target: the exact body and Authorization header it sent and the status the
 * target answered ({@code -1} when an automatic delivery could not connect).
 */
public record WebhookDelivery(WebhookEvent event, String body, String authorization, int status, Instant sentAt) {}
