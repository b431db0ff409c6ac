package dev.dialplane.trunks;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How an organization reaches its carrier: either inline (address, transport, credentials, sent
 * with every call) or a trunk already stored in LiveKit ({@code livekitTrunkId}), which then wins.
 * The password never leaves the trunks module except as {@link SipCredentials} for a dial.
 *
 * @param organizationId the owner; null for a shared trunk (the operator's, usable by every
 *     organization's numbers, managed through the admin API)
 * @param cpsLimit calls the carrier accepts per second on this trunk (null: no limit)
 * @param maxChannels simultaneous calls the carrier allows (null: no limit; 0 pauses the trunk)
 */
public record SipTrunk(
        UUID id,
        @Nullable UUID organizationId,
        String name,
        @Nullable String address,
        SipTransport transport,
        @Nullable String username,
        boolean hasPassword,
        @Nullable String destinationCountry,
        @Nullable String livekitTrunkId,
        @Nullable Integer cpsLimit,
        @Nullable Integer maxChannels,
        Instant createdAt,
        Instant updatedAt) {

    public boolean shared() {
        return organizationId == null;
    }
}
