package dev.dialplane.campaigns;

import dev.dialplane.calls.CallPriority;
import dev.dialplane.compliance.CallingWindow;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A campaign as {@code GET /campaigns/{id}} shows it and campaign webhooks carry it: MrAssistant's
 * response, computed from the contacts when read. {@code calls_initiated}: targets with a call
 * placed; {@code calls_completed}: answered; {@code calls_failed}: not answered after their last
 * attempt, or blocked (do-not-call). Dialplane adds the counts by contact status (the breakdown),
 * the campaign's settings and its webhook's URL (never its secret).
 */
public record CampaignView(
        UUID campaignId,
        UUID agentId,
        String name,
        long totalTargets,
        CampaignStatus status,
        @Nullable Instant scheduledAt,
        @Nullable Instant startedAt,
        long callsInitiated,
        long callsCompleted,
        long callsFailed,
        @Nullable Instant completedAt,
        int concurrentCalls,
        boolean retryFailed,
        int retryAttempts,
        @Nullable CallingWindowView callingWindow,
        CallPriority priority,
        @Nullable String statusReason,
        ContactCounts contacts,
        @Nullable String webhookUrl,
        boolean notifyOnCallComplete,
        RetryPolicyView retryPolicy,
        Instant createdAt) {

    /**
     * The campaign's own calling window in the API's form ({@code {"start":"08:00","end":"21:00",
     * "days":["mon",…]}}), the form the organization's policy and {@code POST /campaigns} use.
     */
    public record CallingWindowView(String start, String end, List<String> days) {

        static CallingWindowView of(CallingWindow window) {
            return new CallingWindowView(window.start().toString(), window.end().toString(), window.dayNames());
        }
    }

    /**
     * The outcomes the campaign calls again and the wait in minutes after each attempt (the last
     * repeating); retries happen only with {@code retry_failed}, up to {@code retry_attempts}.
     */
    public record RetryPolicyView(List<RetryPolicy.Outcome> on, List<Long> delaysMinutes) {

        static RetryPolicyView of(RetryPolicy policy) {
            return new RetryPolicyView(
                    policy.on().stream().sorted().toList(),
                    policy.delays().stream().map(java.time.Duration::toMinutes).toList());
        }
    }

    /** How many of the campaign's contacts are in each status. */
    public record ContactCounts(long pending, long calling, long completed, long failed, long blocked, long canceled) {}

    public static CampaignView of(Campaign campaign) {
        return new CampaignView(
                campaign.id(),
                campaign.agentId(),
                campaign.name(),
                campaign.total(),
                campaign.status(),
                campaign.scheduleAt(),
                campaign.startedAt(),
                campaign.callsInitiated(),
                campaign.count(ContactStatus.COMPLETED),
                campaign.count(ContactStatus.FAILED) + campaign.count(ContactStatus.BLOCKED),
                campaign.completedAt(),
                campaign.concurrentCalls(),
                campaign.retryFailed(),
                campaign.retryAttempts(),
                campaign.callingWindow() == null ? null : CallingWindowView.of(campaign.callingWindow()),
                campaign.priority(),
                campaign.statusReason(),
                new ContactCounts(
                        campaign.count(ContactStatus.PENDING),
                        campaign.count(ContactStatus.CALLING),
                        campaign.count(ContactStatus.COMPLETED),
                        campaign.count(ContactStatus.FAILED),
                        campaign.count(ContactStatus.BLOCKED),
                        campaign.count(ContactStatus.CANCELED)),
                campaign.webhookUrl(),
                campaign.notifyOnCallComplete(),
                RetryPolicyView.of(campaign.retryPolicy()),
                campaign.createdAt());
    }
}
