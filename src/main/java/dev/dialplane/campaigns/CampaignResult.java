package dev.dialplane.campaigns;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A contact's result: the contact and what its last call came to.
 *
 * @param durationSeconds the last call's answered seconds (0 unanswered), null before it ended or with no call
 * @param cost what the last call was charged, null when nothing was
 * @param disposition the disposition the agent reported for the last call, or null
 */
public record CampaignResult(
        CampaignContact contact,
        @Nullable Long durationSeconds,
        @Nullable BigDecimal cost,
        @Nullable String disposition) {}
