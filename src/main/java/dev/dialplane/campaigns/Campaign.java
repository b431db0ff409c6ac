package dev.dialplane.campaigns;

import dev.dialplane.calls.CallDialect;
import dev.dialplane.calls.CallPriority;
import dev.dialplane.compliance.CallingWindow;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A campaign as it now stands, its counts computed from its contacts when it is read (never kept
 * as counters that could drift).
 *
 * @param statusReason why the campaign was paused by Dialplane (e.g. credits ran out), else null
 * @param contacts the number of contacts in each {@link ContactStatus}, every status present
 * @param webhookUrl where MrAssistant's per-campaign webhook goes, or null
 * @param notifyOnCallComplete whether that webhook also gets each campaign call's terminal event
 * @param dialect the API the campaign was created through (its calls are placed as that dialect's)
 * @param timezone the IANA zone its start time was given in (TalkifAI's {@code timezone}), or null
 */
public record Campaign(
        UUID id,
        UUID organizationId,
        UUID agentId,
        String name,
        CampaignStatus status,
        @Nullable Instant scheduleAt,
        @Nullable Instant startedAt,
        @Nullable Instant completedAt,
        int concurrentCalls,
        boolean retryFailed,
        int retryAttempts,
        @Nullable CallingWindow callingWindow,
        CallPriority priority,
        @Nullable String statusReason,
        Instant createdAt,
        Map<ContactStatus, Long> contacts,
        long callsInitiated,
        @Nullable String webhookUrl,
        boolean notifyOnCallComplete,
        RetryPolicy retryPolicy,
        CallDialect dialect,
        @Nullable String description,
        @Nullable String timezone) {

    public long total() {
        return contacts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(ContactStatus status) {
        return contacts.getOrDefault(status, 0L);
    }
}
