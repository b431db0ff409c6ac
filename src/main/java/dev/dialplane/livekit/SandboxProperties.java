package dev.dialplane.livekit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The simulated carrier of sandbox mode.
 *
 * @param ringTime how long a simulated callee's phone rings before the scripted outcome
 * @param talkTime how long an answered simulated callee stays on the line before hanging up
 */
@ConfigurationProperties("dialplane.sandbox")
public record SandboxProperties(
        @DefaultValue("2s") Duration ringTime,
        @DefaultValue("30s") Duration talkTime) {}
