package dev.dialplane.campaigns;

import dev.dialplane.calls.CallDialect;
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
 * @param draft stored as a draft: nothing is called until it is started
 * @param dialect the API it is created through; its calls are placed as that dialect's
 * @param timezone the IANA zone its start was given in, kept to show it back, or null
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
        RetryPolicy retryPolicy,
        boolean draft,
        CallDialect dialect,
        @Nullable String description,
        @Nullable String timezone) {

    /** The longest context a call of a campaign carries, as JSON text. */
    public static final int MAX_CONTEXT_CHARS = 16_000;

    public CampaignDraft {
        targets = List.copyOf(targets);
    }

    /** A MrAssistant {@code POST /campaigns}: starts at once or at its {@code schedule_at} unless {@code draft}. */
    public static CampaignDraft mrAssistant(
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
            RetryPolicy retryPolicy,
            boolean draft) {
        return new CampaignDraft(
                agentId,
                name,
                targets,
                scheduleAt,
                concurrentCalls,
                retryFailed,
                retryAttempts,
                context,
                callingWindow,
                priority,
                webhook,
                retryPolicy,
                draft,
                CallDialect.MRASSISTANT,
                null,
                null);
    }

    /**
     * One person to call.
     *
     * @param context the context the call passes to the agent (the campaign's, with the target's
     *     own merged over it) as JSON object text, or null
     * @param name the person's name (TalkifAI's contact {@code name}), or null
     * @param variables the contact's custom fields as JSON object text (they are in
     *     {@code context} too), or null
     */
    public record Target(
            String toNumber,
            @Nullable String fromNumber,
            @Nullable String context,
            @Nullable String name,
            @Nullable String variables) {

        public Target(String toNumber, @Nullable String fromNumber, @Nullable String context) {
            this(toNumber, fromNumber, context, null, null);
        }
    }
}
