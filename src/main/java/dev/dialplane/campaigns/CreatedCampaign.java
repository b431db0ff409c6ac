package dev.dialplane.campaigns;

import org.jspecify.annotations.Nullable;

/**
 * A new campaign and the webhook signing secret Dialplane generated for it, which exists only in
 * this object and the one response that shows it; null when the client gave its own or no webhook.
 */
public record CreatedCampaign(Campaign campaign, @Nullable String generatedWebhookSecret) {

    @Override
    public String toString() {
        return "CreatedCampaign[campaign=" + campaign + ", generatedWebhookSecret=<redacted>]";
    }
}
