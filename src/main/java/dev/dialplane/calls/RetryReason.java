package dev.dialplane.calls;

/** Why a call that was claimed went back to the queue for a later attempt, nobody having been called. */
public enum RetryReason {
    /** The carrier refused the dial for capacity (calls per second, channels) before the phone rang. */
    CARRIER_CAPACITY,
    /** LiveKit could not be reached while the dial was prepared, before the SIP request was sent. */
    LIVEKIT_UNAVAILABLE
}
