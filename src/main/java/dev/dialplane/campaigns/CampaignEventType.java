package dev.dialplane.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a change of a campaign's status was. {@code started} is the first move to running (once per
 * campaign that ever runs, whichever route it came by); {@code resumed} a later one out of paused.
 */
public enum CampaignEventType {
    /** The campaign was stored (to its first status). */
    CREATED,
    /** It now waits for its start time. */
    SCHEDULED,
    STARTED,
    PAUSED,
    RESUMED,
    COMPLETED,
    CANCELED;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CampaignEventType fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
