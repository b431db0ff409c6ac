package dev.dialplane.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A campaign's life: {@code draft → scheduled → running ⇄ paused → completed | canceled}. Only a
 * running campaign places calls; a scheduled one starts running once its {@code schedule_at} has
 * come; a draft waits, stored, until it is started (or canceled).
 */
public enum CampaignStatus {
    DRAFT,
    SCHEDULED,
    RUNNING,
    PAUSED,
    COMPLETED,
    CANCELED;

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELED;
    }

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CampaignStatus fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
