package dev.dialplane.livekit;

/**
 * Why a dial did not connect, classified from LiveKit's Twirp error code and the SIP status it
 * carries (see DESIGN.md §3 and the LiveKit contract §3.3).
 */
public enum DialFailure {
    /** 486 Busy Here / 600 Busy Everywhere. */
    BUSY,
    /** Ringing timeout, 480 Temporarily Unavailable, 408 Request Timeout, 487 after CANCEL. */
    NO_ANSWER,
    /** 603 Decline, 607 Unwanted, 608 Rejected. */
    DECLINED,
    /** 404 / 604 / 484 / 400 and other "this number cannot be reached" answers. */
    INVALID_NUMBER,
    /** The carrier refused Dialplane's credentials (401/407 exhausted, 403). */
    TRUNK_AUTH_FAILED,
    /** The carrier or trunk failed (5xx, 402, media negotiation). */
    CARRIER_ERROR,
    /**
     * The carrier refused the dial for capacity (503, or a CPS/channel-limit phrase with 480, 403 or
     * 5xx) before the phone rang: the callee was not called, and the call may be retried later.
     */
    CARRIER_CAPACITY,
    /** LiveKit itself could not be reached or answered with a server error. */
    LIVEKIT_UNAVAILABLE,
    /** LiveKit refused the request (credentials, grants, validation, unknown stored trunk). */
    LIVEKIT_REJECTED
}
