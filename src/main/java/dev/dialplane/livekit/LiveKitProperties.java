package dev.dialplane.livekit;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Connection to a LiveKit server. Set through {@code LIVEKIT_URL}, {@code LIVEKIT_API_KEY} and
 * {@code LIVEKIT_API_SECRET}; with none of them set Dialplane runs in sandbox mode.
 *
 * @param url the server's URL; {@code ws(s)://} is accepted and used as {@code http(s)://}
 * @param requestTimeout limit for every request except a dial that waits for the answer
 * @param dialMargin how much longer than the ringing timeout (plus DTMF time) LiveKit's server-side
 *     deadline ({@code X-Twirp-Timeout-Ms}) is set, so LiveKit's own ringing timeout fires first
 * @param connectTimeout TCP connect limit; a LiveKit that cannot be reached fails fast
 * @param transferTimeout how long a transfer (SIP REFER) may take to be accepted
 * @param ringingPollInterval how often a dial in progress reads the SIP participant's
 *     {@code sip.callStatus} to notice ringing (LiveKit sends no event for it); zero turns it off
 * @param idleConnectionTimeout how long a keep-alive connection to LiveKit is kept unused; set it
 *     below the idle timeout of LiveKit and of any proxy or load balancer in front of it, so
 *     Dialplane closes an idle connection before the server does
 */
@ConfigurationProperties("dialplane.livekit")
public record LiveKitProperties(
        @Nullable String url,
        @Nullable String apiKey,
        @Nullable String apiSecret,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("10s") Duration dialMargin,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("1s") Duration ringingPollInterval,
        @DefaultValue("60s") Duration transferTimeout,
        @DefaultValue("30s") Duration idleConnectionTimeout) {

    public LiveKitProperties {
        if (!idleConnectionTimeout.isPositive()) {
            throw new IllegalArgumentException("dialplane.livekit.idle-connection-timeout must be positive.");
        }
    }

    @Override
    public String toString() {
        return "LiveKitProperties[url=" + url + ", apiKey=" + apiKey + ", apiSecret=<redacted>]";
    }
}
