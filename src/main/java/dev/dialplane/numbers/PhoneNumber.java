package dev.dialplane.numbers;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A caller number an organization owns: the trunk it is reached through and the agents it uses. */
public record PhoneNumber(
        UUID id,
        UUID organizationId,
        String number,
        UUID sipTrunkId,
        @Nullable UUID outboundAgentId,
        @Nullable UUID inboundAgentId,
        boolean record,
        Instant createdAt,
        Instant updatedAt) {}
