package dev.dialplane.campaigns;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One target of a campaign as it now stands.
 *
 * @param row its place in the campaign, 1 for the first target (appended targets follow on)
 * @param context the context its calls carry (the campaign's with its own merged over), JSON object text
 * @param attempts calls placed for it that could reach the callee
 * @param lastEndReason how its last call ended, null before one has
 * @param lastError why it was not called (do-not-call, a refusal), or null
 * @param nextAttemptAt when it is called next: a retry's time or its calling window's opening
 */
public record CampaignContact(
        UUID id,
        int row,
        String toNumber,
        @Nullable String fromNumber,
        @Nullable String context,
        ContactStatus status,
        int attempts,
        @Nullable UUID lastCallId,
        @Nullable String lastEndReason,
        @Nullable String lastError,
        @Nullable Instant nextAttemptAt,
        Instant updatedAt) {}
