package dev.dialplane.compliance;

import org.jspecify.annotations.Nullable;

/**
 * How many calls of an organization to one number may reach dialing within 24 hours and within 7
 * days; a null count is no cap over that period. Stored and validated now; enforced by a later step.
 */
public record AttemptCaps(
        @Nullable Integer per24h, @Nullable Integer per7d) {}
