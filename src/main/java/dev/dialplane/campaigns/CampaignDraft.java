package dev.dialplane.campaigns;

import dev.dialplane.calls.CallPriority;
import dev.dialplane.compliance.CallingWindow;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A validated request to create a campaign (numbers in E.164, each once).
 *
 * @param scheduleAt when to start; null or past: at once
 * @param context the campaign's own context as JSON object text, or null
 * @param callingWindow the campaign's own window, narrowing the organization's (both must hold), or null
 * @param priority the priority of the campaign's calls in the dispatcher's queue
 * @param webhook MrAssistant's per-campaign webhook, or null
 * @param retryPolicy which ended calls are placed again and when (with {@code retryFailed} and {@code retryAttempts})
 */
public record CampaignDraft(
        UUID agentId,
        String name,
        List<Target> targets,
        @Nullable Instant scheduleAt,
        int concurrentCalls,
        boolean retryFailed,
        int retryAttempts,
        @Nullable String context,
        @Nullable CallingWindow callingWindow,
        CallPriority priority,
        @Nullable CampaignWebhook webhook,
        RetryPolicy retryPolicy) {

    /** The longest context a call of a campaign carries, as JSON text. */
    public static final int MAX_CONTEXT_CHARS = 16_000;

    public CampaignDraft {
        targets = List.copyOf(targets);
    }

    /**
     * One person to call.
     *
     * @param context the context the call passes to the agent (the campaign's, with the target's
     *     own merged over it) as JSON object text, or null
     */
    public record Target(
            String toNumber,
            @Nullable String fromNumber,
            @Nullable String context) {}
}
