package dev.dialplane.campaigns;

import java.util.UUID;

/**
 * Published inside the transaction that creates a campaign with a {@code webhook_url}, before its
 * first events: the webhooks feature registers the campaign's own endpoint in that transaction, so
 * the campaign and the endpoint that announces it exist together or not at all.
 *
 * @param secret the signing secret, the client's or a generated one
 */
public record CampaignWebhookRequested(
        UUID campaignId, UUID organizationId, String url, String secret, boolean notifyOnCallComplete) {

    @Override
    public String toString() {
        return "CampaignWebhookRequested[campaignId=" + campaignId + ", url=" + url + ", secret=<redacted>]";
    }
}
