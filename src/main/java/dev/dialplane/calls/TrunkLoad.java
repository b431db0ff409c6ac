package dev.dialplane.calls;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * How busy a trunk is at one moment.
 *
 * @param live calls dialing, ringing or in progress: what the trunk's {@code max_channels} counts
 * @param queued calls waiting for the trunk that are due now
 * @param dialedLastMinute dials sent to LiveKit in the last {@link #RECENT}
 * @param pausedUntil when the carrier's rejections paused the trunk, until when; else null
 */
public record TrunkLoad(
        long live,
        long queued,
        long dialedLastMinute,
        @Nullable Instant pausedUntil) {

    public static final Duration RECENT = Duration.ofMinutes(1);
}
