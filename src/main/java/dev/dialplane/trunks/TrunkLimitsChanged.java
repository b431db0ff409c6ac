package dev.dialplane.trunks;

import java.util.UUID;

/** A trunk was updated (its {@code cps_limit} or {@code max_channels} may be higher now). */
public record TrunkLimitsChanged(UUID trunkId) {}
