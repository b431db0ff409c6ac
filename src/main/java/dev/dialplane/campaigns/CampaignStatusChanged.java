package dev.dialplane.campaigns;

/**
 * Published inside the transaction that changed a campaign's status, with the campaign as it now
 * is (its counts included) and the event just appended. Listeners that must not lose it (the
 * webhook outbox) write in the same transaction; others listen after commit.
 */
public record CampaignStatusChanged(Campaign campaign, CampaignEvent event) {}
