package dev.dialplane.webhooks;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.campaigns.CampaignEventType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The events an endpoint can subscribe to, by their wire names ({@code call.completed} …). Each
 * belongs to the formats that send it: a {@code talkifai} endpoint gets TalkifAI's names (two of
 * which, {@code call.failed} and {@code credit.low}, Standard Webhooks endpoints share).
 */
public enum WebhookEventType {
    CALL_SCHEDULED("call.scheduled", WebhookFormat.STANDARD),
    CALL_QUEUED("call.queued", WebhookFormat.STANDARD),
    CALL_DIALING("call.dialing", WebhookFormat.STANDARD),
    CALL_RINGING("call.ringing", WebhookFormat.STANDARD),
    CALL_ANSWERED("call.answered", WebhookFormat.STANDARD),
    CALL_COMPLETED("call.completed", WebhookFormat.STANDARD),
    CALL_FAILED("call.failed", WebhookFormat.STANDARD, WebhookFormat.TALKIFAI),
    /** The agent (or the organization) reported what it learned about the call (POST /calls/{id}/outcome). */
    CALL_OUTCOME_REPORTED("call.outcome_reported", WebhookFormat.STANDARD),
    CREDIT_LOW("credit.low", WebhookFormat.STANDARD, WebhookFormat.TALKIFAI),
    /** TalkifAI: the call was answered (connected, the agent joined). */
    CALL_STARTED("call.started", WebhookFormat.TALKIFAI),
    /** TalkifAI: an answered call ended. */
    CALL_ENDED("call.ended", WebhookFormat.TALKIFAI),
    /** TalkifAI: a charge left less than one minute's price. */
    CREDIT_DEPLETED("credit.depleted", WebhookFormat.TALKIFAI),
    /** A campaign ran for the first time (at once when created, or when its start time came). */
    CAMPAIGN_STARTED("campaign.started", WebhookFormat.STANDARD),
    /** A campaign was paused, by request or by Dialplane (e.g. the credits ran out: see its reason). */
    CAMPAIGN_PAUSED("campaign.paused", WebhookFormat.STANDARD),
    CAMPAIGN_RESUMED("campaign.resumed", WebhookFormat.STANDARD),
    /** Every contact of the campaign is done. */
    CAMPAIGN_COMPLETED("campaign.completed", WebhookFormat.STANDARD),
    CAMPAIGN_CANCELED("campaign.canceled", WebhookFormat.STANDARD);

    private final String wireName;
    private final Set<WebhookFormat> formats;

    WebhookEventType(String wireName, WebhookFormat first, WebhookFormat... more) {
        this.wireName = wireName;
        this.formats = EnumSet.of(first, more);
    }

    /** Whether an endpoint of this format can receive (and subscribe to) this event. */
    public boolean sentIn(WebhookFormat format) {
        return formats.contains(format);
    }

    /** The names an endpoint of this format may list in {@code event_types}, in order. */
    public static List<String> namesIn(WebhookFormat format) {
        return Arrays.stream(values())
                .filter(type -> type.sentIn(format))
                .map(WebhookEventType::toString)
                .toList();
    }

    /**
     * The TalkifAI event a call's new status is announced as, if any: {@code call.started} when it
     * is answered ("call connected, agent joined" in TalkifAI's docs), {@code call.ended} when an
     * answered call ends, {@code call.failed} when it ends unanswered. So a call gets either
     * started and ended, or failed alone.
     */
    public static Optional<WebhookEventType> forTalkifaiCall(CallStatus status) {
        return switch (status) {
            case IN_PROGRESS -> Optional.of(CALL_STARTED);
            case COMPLETED -> Optional.of(CALL_ENDED);
            case BUSY, NO_ANSWER, FAILED, CANCELED -> Optional.of(CALL_FAILED);
            case SCHEDULED, QUEUED, DIALING, RINGING -> Optional.empty();
        };
    }

    /**
     * The event a call's new status is announced as. Every unanswered ending is {@code call.failed}
     * (the call's {@code status} and {@code end_reason} say which), so a call has exactly one
     * terminal event: {@code call.completed} or {@code call.failed}.
     */
    public static WebhookEventType forCall(CallStatus status) {
        return switch (status) {
            case SCHEDULED -> CALL_SCHEDULED;
            case QUEUED -> CALL_QUEUED;
            case DIALING -> CALL_DIALING;
            case RINGING -> CALL_RINGING;
            case IN_PROGRESS -> CALL_ANSWERED;
            case COMPLETED -> CALL_COMPLETED;
            case BUSY, NO_ANSWER, FAILED, CANCELED -> CALL_FAILED;
        };
    }

    /** The event a campaign's status change is announced as, if any ({@code created} and {@code scheduled} are not). */
    public static Optional<WebhookEventType> forCampaign(CampaignEventType type) {
        return switch (type) {
            case STARTED -> Optional.of(CAMPAIGN_STARTED);
            case PAUSED -> Optional.of(CAMPAIGN_PAUSED);
            case RESUMED -> Optional.of(CAMPAIGN_RESUMED);
            case COMPLETED -> Optional.of(CAMPAIGN_COMPLETED);
            case CANCELED -> Optional.of(CAMPAIGN_CANCELED);
            case CREATED, SCHEDULED -> Optional.empty();
        };
    }

    /** The campaign events, which every campaign's own webhook gets. */
    static List<WebhookEventType> campaignEvents() {
        return List.of(CAMPAIGN_STARTED, CAMPAIGN_PAUSED, CAMPAIGN_RESUMED, CAMPAIGN_COMPLETED, CAMPAIGN_CANCELED);
    }

    static WebhookEventType fromDatabase(String name) {
        return Arrays.stream(values())
                .filter(type -> type.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown stored event type " + name));
    }

    @JsonValue
    @Override
    public String toString() {
        return wireName;
    }
}
