package dev.dialplane.numbers;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The writable fields of a phone number; {@code number} is already valid E.164. */
public record NumberDraft(
        String number,
        UUID sipTrunkId,
        @Nullable UUID outboundAgentId,
        @Nullable UUID inboundAgentId,
        boolean record) {}
