package dev.dialplane.livekit;

import org.jspecify.annotations.Nullable;

/** How a dial ended: answered, or failed with a classified reason. */
public sealed interface DialResult {

    /** The callee answered (SIP 200 OK, and any DTMF was sent). */
    record Answered(String participantId, String participantIdentity, String sipCallId) implements DialResult {}

    /**
     * The call did not connect.
     *
     * @param sipStatusCode the SIP final response code, when LiveKit reported one
     * @param sipStatus the SIP reason phrase, when LiveKit reported one
     * @param message what LiveKit said, for operators; free of secrets
     */
    record Failed(
            DialFailure failure,
            @Nullable Integer sipStatusCode,
            @Nullable String sipStatus,
            String message) implements DialResult {}
}
