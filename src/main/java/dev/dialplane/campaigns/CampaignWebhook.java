package dev.dialplane.campaigns;

import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * MrAssistant's per-campaign webhook as the client asked for it.
 *
 * @param url where the campaign's events go ({@code webhook_url})
 * @param secret the client's signing secret ({@code webhook_secret}), or null to have one generated
 * @param notifyOnCallComplete also send each of the campaign's calls' terminal event
 */
public record CampaignWebhook(String url, @Nullable String secret, boolean notifyOnCallComplete) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A secret in Standard Webhooks' form ({@code whsec_} and base64 of 32 random bytes), the same
     * form webhook endpoints get. Made here because campaigns may not use the webhooks feature.
     */
    static String newSecret() {
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "CampaignWebhook[url=" + url + ", secret=<redacted>, notifyOnCallComplete=" + notifyOnCallComplete + "]";
    }
}
