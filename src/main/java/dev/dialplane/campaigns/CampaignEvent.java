package dev.dialplane.campaigns;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One change of a campaign's status, as {@code GET /campaigns/{id}/events} lists it.
 *
 * @param sequence the event's number among the campaign's, from 1, without gaps
 * @param fromStatus the status before; null for {@code created}
 * @param reason why, in words: "by request", "credits ran out: …", "every contact is done"
 */
public record CampaignEvent(
        UUID id,
        UUID campaignId,
        int sequence,
        CampaignEventType type,
        @Nullable CampaignStatus fromStatus,
        CampaignStatus toStatus,
        String reason,
        CampaignActor actor,
        Instant occurredAt) {}
