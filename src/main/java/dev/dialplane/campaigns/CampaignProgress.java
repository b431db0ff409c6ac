package dev.dialplane.campaigns;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How far a campaign has come and what is left: the dial rate of the last
 * {@link #RATE_WINDOW}, when the rest should be done, and what the contacts not called yet should
 * cost and take on {@link CampaignEstimates}' stated assumptions.
 *
 * @param remaining contacts pending or calling
 * @param dialRatePerMinute attempts started in the last {@link #RATE_WINDOW}, per minute
 * @param estimatedCompletionAt for a running campaign: now plus the remaining contacts at the
 *     observed rate, or, before any rate is observed, at the assumed one; null when it is not running
 * @param basis {@code observed} or {@code assumed}: which rate the completion time rests on
 * @param estimatedCost credits the remaining contacts should cost
 * @param estimatedDuration how long the remaining contacts should take at the campaign's concurrency
 */
public record CampaignProgress(
        UUID campaignId,
        CampaignStatus status,
        long total,
        long remaining,
        double dialRatePerMinute,
        @Nullable Instant estimatedCompletionAt,
        @Nullable String basis,
        BigDecimal estimatedCost,
        Duration estimatedDuration) {

    /** The stretch the dial rate is measured over. */
    public static final Duration RATE_WINDOW = Duration.ofMinutes(10);
}
