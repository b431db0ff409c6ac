package dev.dialplane.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who changed a campaign's status: a client's request, or Dialplane itself (its schedule, the credits, its end). */
public enum CampaignActor {
    API,
    DIALPLANE;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CampaignActor fromDatabase(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
