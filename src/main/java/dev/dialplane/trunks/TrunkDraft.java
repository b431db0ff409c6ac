package dev.dialplane.trunks;

import org.jspecify.annotations.Nullable;

/**
 * The writable fields of a trunk. The password is write-only: {@code replacePassword} says whether
 * this write sets it (to {@code password}, null clearing it) or leaves the stored one alone.
 */
public record TrunkDraft(
        String name,
        @Nullable String address,
        SipTransport transport,
        @Nullable String username,
        boolean replacePassword,
        @Nullable String password,
        @Nullable String destinationCountry,
        @Nullable String livekitTrunkId,
        @Nullable Integer cpsLimit,
        @Nullable Integer maxChannels) {

    @Override
    public String toString() {
        return "TrunkDraft[name=" + name + ", address=" + address + ", transport=" + transport + ", username="
                + username
                + ", password=<redacted>, destinationCountry=" + destinationCountry + ", livekitTrunkId="
                + livekitTrunkId
                + ", cpsLimit=" + cpsLimit + ", maxChannels=" + maxChannels + "]";
    }
}
