package dev.dialplane.campaigns;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled whether this node drives campaigns (places their calls)
 * @param pollInterval the longest the driver waits between passes when nothing wakes it (a
 *     campaign's start or a contact's retry coming due, another node's changes)
 * @param strandedAfter how long a contact may be marked calling with no call stored before any
 *     node places it again (with the same idempotency key, so never a second call)
 */
@ConfigurationProperties("dialplane.campaigns")
public record CampaignsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("1m") Duration strandedAfter) {}
