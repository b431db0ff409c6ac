package dev.dialplane.fakelivekit;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happens when the fake dials a number: the callee's answer, a final SIP failure, a LiveKit-side failure, or
 * "ring until the test decides" ({@link #holdUntilReleased()}). Register with {@link FakeLiveKit#onDial}.
 */
public final class DialScript {

    enum Kind {
        ANSWER,
        SIP_FAILURE,
        RINGING_TIMEOUT,
        AUTH_FAILURE,
        /** Fails before the SIP participant joins the room, like "no SIP node" or any raw Twirp error. */
        SYNC_ERROR,
        HOLD
    }

    private final Kind kind;
    private final int sipCode;
    private final String reason;
    private final @Nullable TwirpException syncError;

    private DialScript(Kind kind, int sipCode, String reason, @Nullable TwirpException syncError) {
        this.kind = kind;
        this.sipCode = sipCode;
        this.reason = reason;
        this.syncError = syncError;
    }

    /** The callee answers (200 OK). The default for numbers nobody scripted. */
    public static DialScript answer() {
        return new DialScript(Kind.ANSWER, 200, "OK", null);
    }

    /**
     * The carrier answers with a final failure, e.g. {@code sipFailure(486, "Busy Here")}. The Twirp code follows the
     * contract's §3.3 table and the error carries {@code meta.sip_status_code}, {@code sip_status} and
     * {@code error_details}.
     */
    public static DialScript sipFailure(int sipCode, String reasonPhrase) {
        if (sipCode < 300 || sipCode > 699) {
            throw new IllegalArgumentException("not a final SIP failure code: " + sipCode);
        }
        return new DialScript(Kind.SIP_FAILURE, sipCode, Objects.requireNonNull(reasonPhrase), null);
    }

    /** Like {@link #sipFailure(int, String)} with no reason phrase: {@code meta.sip_status} is then the enum name. */
    public static DialScript sipFailure(int sipCode) {
        return sipFailure(sipCode, "");
    }

    /** Nobody answers within the ringing timeout: canceled (408) "sip request timed out", no meta. */
    public static DialScript ringingTimeout() {
        return new DialScript(Kind.RINGING_TIMEOUT, 0, "", null);
    }

    /** The trunk keeps asking for credentials: failed_precondition (412) after 5 attempts, no meta. */
    public static DialScript authFailure() {
        return new DialScript(Kind.AUTH_FAILURE, 0, "", null);
    }

    /** No SIP node answers: unavailable (503) "no response from servers"; nobody joins the room. */
    public static DialScript unavailable() {
        return new DialScript(Kind.SYNC_ERROR, 0, "", new TwirpException("unavailable", "no response from servers"));
    }

    /**
     * Any Twirp error, returned as given and before the SIP participant would join the room (so no participant, no
     * room and no webhooks), in both wait_until_answered modes.
     */
    public static DialScript twirpError(String code, int httpStatus, String msg, Map<String, String> meta) {
        return new DialScript(Kind.SYNC_ERROR, 0, "", new TwirpException(code, httpStatus, msg, meta));
    }

    /**
     * The call rings until the test completes it through the {@link RingingCall} that {@link FakeLiveKit#onDial}
     * returns, or until the request's ringing_timeout or the Twirp deadline ends it. Captures one dial.
     */
    public static DialScript holdUntilReleased() {
        return new DialScript(Kind.HOLD, 0, "", null);
    }

    Kind kind() {
        return kind;
    }

    int sipCode() {
        return sipCode;
    }

    String reason() {
        return reason;
    }

    TwirpException syncError() {
        return Objects.requireNonNull(syncError);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SIP_FAILURE -> "DialScript.sipFailure(" + sipCode + ", \"" + reason + "\")";
            case SYNC_ERROR -> "DialScript.twirpError(" + syncError().toJson() + ")";
            default -> "DialScript." + kind;
        };
    }
}
