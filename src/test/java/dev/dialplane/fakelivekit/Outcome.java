package dev.dialplane.fakelivekit;

import livekit.LivekitModels.DisconnectReason;
import org.jspecify.annotations.Nullable;

/**
 * How a dial ended: answered ({@code error == null}) or failed with the Twirp error a wait_until_answered request gets
 * and the reason the SIP participant leaves with ({@code null} when something else already removed it).
 */
record Outcome(@Nullable TwirpException error, @Nullable DisconnectReason leaveReason, String description) {

    static Outcome answered() {
        return new Outcome(null, null, "answered");
    }

    static Outcome of(DialScript script) {
        return switch (script.kind()) {
            case ANSWER -> answered();
            case SIP_FAILURE ->
                new Outcome(
                        SipStatuses.inviteFailure(script.sipCode(), script.reason()),
                        SipStatuses.disconnectReasonFor(script.sipCode(), script.reason()),
                        "SIP " + script.sipCode() + " " + script.reason());
            case RINGING_TIMEOUT -> ringingTimeout();
            case AUTH_FAILURE ->
                new Outcome(
                        // 401/407 challenges are retried; after 5 attempts the bridge gives up (§3.3), no SIP meta.
                        new TwirpException(
                                "failed_precondition",
                                SipStatuses.UNKNOWN_PREFIX + "max auth retry attempts reached for SIP invite"),
                        DisconnectReason.USER_REJECTED,
                        "auth failure");
            case SYNC_ERROR, HOLD -> throw new IllegalArgumentException(script + " is not a call outcome");
        };
    }

    /** The bridge's own ringing_timeout fired and it sent CANCEL (§3.3). */
    static Outcome ringingTimeout() {
        return new Outcome(
                new TwirpException("canceled", SipStatuses.UNKNOWN_PREFIX + "sip request timed out"),
                DisconnectReason.USER_UNAVAILABLE,
                "ringing timeout");
    }

    /**
     * The server-side RPC deadline (80 s, or X-Twirp-Timeout-Ms) passed first; psrpc reports it as deadline_exceeded
     * and the dial is cut at the same moment, which for the callee looks like a ringing timeout (§2.6, §3.3).
     */
    static Outcome deadlineExceeded() {
        return new Outcome(
                new TwirpException("deadline_exceeded", "request timed out"),
                DisconnectReason.USER_UNAVAILABLE,
                "twirp deadline");
    }

    /**
     * The room side ended the call while it rang (DeleteRoom, RemoveParticipant, a duplicate identity, or the fake
     * being reset). The contract does not document this response; the bridge's dial context is cancelled, so this
     * fake answers Go's {@code context canceled} as Twirp canceled. The participant was already removed by the caller.
     */
    static Outcome cancelledByRoom(String why) {
        return new Outcome(new TwirpException("canceled", SipStatuses.UNKNOWN_PREFIX + "context canceled"), null, why);
    }

    boolean isAnswered() {
        return error == null;
    }
}
