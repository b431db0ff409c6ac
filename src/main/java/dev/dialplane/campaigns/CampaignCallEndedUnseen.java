package dev.dialplane.campaigns;

import dev.dialplane.calls.Call;
import java.util.UUID;

/**
 * A call the campaign placed had already ended when the driver stored it on its contact, so when
 * its {@code CallStatusChanged} was published nothing could tell it was the campaign's (the driver
 * records its outcome itself then). Published, outside any transaction, for the listeners that
 * must still hear of that end as the campaign's: the campaign's own webhook.
 */
public record CampaignCallEndedUnseen(UUID campaignId, Call call) {}
