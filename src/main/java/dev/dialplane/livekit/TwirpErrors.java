package dev.dialplane.livekit;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads LiveKit's Twirp error responses and classifies them. The SIP status in
 * {@code meta.sip_status_code} is the most precise signal and is used first; Twirp codes alone
 * cover the failures that carry none (ringing timeout, trunk authentication, LiveKit itself).
 * See the LiveKit contract §2.5 and §3.3.
 */
final class TwirpErrors {

    // xtwirp re-codes wrapped psrpc errors and leaves this artefact in front of the message (§2.5)
    private static final String ARTEFACT = "twirp error unknown: ";
    private static final int MAX_MESSAGE = 300;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TwirpErrors() {}

    static DialResult.Failed classify(int httpStatus, String body) {
        JsonNode error = null;
        try {
            var parsed = JSON.readTree(body);
            if (parsed != null && parsed.isObject() && parsed.has("code")) {
                error = parsed;
            }
        } catch (RuntimeException notJson) {
            // authentication middleware answers in plain text (§2.5)
        }
        if (error == null) {
            var failure = httpStatus >= 500 ? DialFailure.LIVEKIT_UNAVAILABLE : DialFailure.LIVEKIT_REJECTED;
            var what = httpStatus == 401
                    ? "LiveKit refused Dialplane's API key or secret"
                    : "LiveKit answered HTTP " + httpStatus;
            return new DialResult.Failed(failure, null, null, trim(what + ": " + body.strip()));
        }
        var code = error.path("code").asString("unknown");
        var message = error.path("msg").asString("");
        if (message.startsWith(ARTEFACT)) {
            message = message.substring(ARTEFACT.length());
        }
        var meta = error.path("meta");
        var sipCode = parseSipCode(meta.path("sip_status_code").asString(""));
        var sipStatus = meta.path("sip_status").asString("");
        var failure = sipCode != null ? bySipCode(sipCode) : byTwirpCode(code, message);
        if (sipCode != null && isCapacity(sipCode, sipStatus + " " + message)) {
            failure = DialFailure.CARRIER_CAPACITY;
        }
        var text = trim("LiveKit " + code + (message.isEmpty() ? "" : ": " + message));
        return new DialResult.Failed(failure, sipCode, sipStatus.isEmpty() ? null : sipStatus, text);
    }

    static DialFailure bySipCode(int sip) {
        return switch (sip) {
            case 486, 600 -> DialFailure.BUSY;
            case 408, 480, 487 -> DialFailure.NO_ANSWER;
            case 603, 607, 608 -> DialFailure.DECLINED;
            case 301, 302, 380, 400, 404, 410, 414, 416, 484, 485, 604 -> DialFailure.INVALID_NUMBER;
            case 401, 403, 407 -> DialFailure.TRUNK_AUTH_FAILED;
            default -> DialFailure.CARRIER_ERROR;
        };
    }

    private static final java.util.regex.Pattern CAPACITY_PHRASE = java.util.regex.Pattern.compile(
            "(?i)\\b(cps|calls? per second|rate.?limit|too many|channel|concurren|capacity|limit exceeded|overload)");

    /**
     * Whether the carrier refused for capacity rather than because of the callee: 503 Service
     * Unavailable, or a CPS/channel phrase in the reason (Twilio "CPS limit exceeded", Telnyx 403
     * "User channel limit exceeded"). A plain 480 stays the callee's no-answer (livekit/sip#468).
     */
    static boolean isCapacity(int sipCode, String phrase) {
        if (sipCode == 503) {
            return true;
        }
        return (sipCode == 480 || sipCode == 403 || sipCode == 486 || sipCode >= 500)
                && CAPACITY_PHRASE.matcher(phrase).find();
    }

    static DialFailure byTwirpCode(String code, String message) {
        var lower = message.toLowerCase(Locale.ROOT);
        return switch (code) {
            // ringing timeout, Timer B, or the server-side deadline: nobody answered in time
            case "canceled", "deadline_exceeded", "aborted" -> DialFailure.NO_ANSWER;
            case "failed_precondition" -> {
                if (lower.contains("auth")) {
                    yield DialFailure.TRUNK_AUTH_FAILED;
                }
                if (lower.contains("context deadline exceeded")) {
                    yield DialFailure.NO_ANSWER; // the rare ringing-timeout race, livekit/sip#857
                }
                if (lower.contains("no numbers")) {
                    yield DialFailure.LIVEKIT_REJECTED;
                }
                yield DialFailure.CARRIER_ERROR;
            }
            case "unavailable", "internal", "unknown", "data_loss", "resource_exhausted" ->
                DialFailure.LIVEKIT_UNAVAILABLE;
            default -> DialFailure.LIVEKIT_REJECTED;
        };
    }

    /** Whether a failed non-dial request means "it is not there" (safe to treat a delete as done). */
    static boolean isNotFound(int httpStatus, String body) {
        return httpStatus == 404 && body.contains("not_found");
    }

    private static @Nullable Integer parseSipCode(String value) {
        try {
            return value.isEmpty() ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String trim(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }
}
