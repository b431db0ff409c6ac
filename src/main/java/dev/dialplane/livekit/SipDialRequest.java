package dev.dialplane.livekit;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything one CreateSIPParticipant carries. The inline trunk holds a decrypted password:
 * {@link #toString()} never prints it.
 *
 * @param sendBy the latest moment the request may be written, on a paced trunk (its send slot plus
 *     the pacing tolerance): later, the client refuses to send it ({@link SendSlotMissed}); null: any time
 */
public record SipDialRequest(
        String roomName,
        String participantIdentity,
        String participantName,
        Map<String, String> participantAttributes,
        String toNumber,
        String fromNumber,
        TrunkRoute trunk,
        boolean krispEnabled,
        @Nullable String dtmf,
        boolean playDialtone,
        MediaEncryption mediaEncryption,
        Duration ringingTimeout,
        Duration maxCallDuration,
        boolean hidePhoneNumber,
        @Nullable String displayName,
        Map<String, String> headers,
        @Nullable Instant sendBy) {

    public enum MediaEncryption {
        DISABLE,
        ALLOW,
        REQUIRE
    }

    /** Where the call leaves LiveKit: a trunk given inline with the call, or one stored in LiveKit. */
    public sealed interface TrunkRoute {}

    public record InlineTrunk(
            String hostname,
            String transport,
            @Nullable String username,
            @Nullable String password,
            @Nullable String destinationCountry)
            implements TrunkRoute {

        @Override
        public String toString() {
            return "InlineTrunk[hostname=" + hostname + ", transport=" + transport + ", username=" + username
                    + ", password=<redacted>, destinationCountry=" + destinationCountry + "]";
        }
    }

    public record StoredTrunk(String livekitTrunkId) implements TrunkRoute {}
}
