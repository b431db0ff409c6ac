package dev.dialplane.fakelivekit;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitSip.SIPStatus;
import livekit.LivekitSip.SIPStatusCode;

/** How a final SIP response of the callee's carrier becomes a Twirp error and a participant disconnect reason. */
final class SipStatuses {

    /** Message prefix left by xtwirp re-coding a psrpc error that was first wrapped as Twirp "unknown" (§2.5). */
    static final String UNKNOWN_PREFIX = "twirp error unknown: ";

    private SipStatuses() {}

    /**
     * Contract §3.3, refined per code by protocol {@code livekit/sip.go sipCodeToGRPCCode}. The contract's table and
     * the source agree on every code the contract names except 416, which the source maps to out_of_range.
     */
    private static final Map<Integer, String> TWIRP_CODE_BY_SIP_CODE = Map.ofEntries(
            Map.entry(300, "invalid_argument"),
            Map.entry(301, "not_found"),
            Map.entry(302, "not_found"),
            Map.entry(305, "invalid_argument"),
            Map.entry(380, "invalid_argument"),
            Map.entry(400, "invalid_argument"),
            Map.entry(401, "permission_denied"),
            Map.entry(402, "permission_denied"),
            Map.entry(403, "permission_denied"),
            Map.entry(404, "not_found"),
            Map.entry(407, "unauthenticated"),
            Map.entry(408, "deadline_exceeded"),
            Map.entry(409, "failed_precondition"),
            Map.entry(410, "not_found"),
            Map.entry(412, "failed_precondition"),
            Map.entry(416, "out_of_range"),
            Map.entry(428, "unauthenticated"),
            Map.entry(433, "permission_denied"),
            Map.entry(436, "unauthenticated"),
            Map.entry(437, "unauthenticated"),
            Map.entry(438, "unauthenticated"),
            Map.entry(440, "resource_exhausted"),
            Map.entry(470, "permission_denied"),
            Map.entry(480, "resource_exhausted"),
            Map.entry(481, "not_found"),
            Map.entry(482, "failed_precondition"),
            Map.entry(483, "failed_precondition"),
            Map.entry(486, "resource_exhausted"),
            Map.entry(487, "aborted"),
            Map.entry(491, "aborted"),
            Map.entry(494, "unauthenticated"),
            Map.entry(500, "failed_precondition"),
            Map.entry(501, "failed_precondition"),
            Map.entry(502, "failed_precondition"),
            Map.entry(503, "failed_precondition"),
            Map.entry(504, "deadline_exceeded"),
            Map.entry(505, "invalid_argument"),
            Map.entry(513, "invalid_argument"),
            Map.entry(600, "resource_exhausted"),
            Map.entry(603, "permission_denied"),
            Map.entry(604, "not_found"),
            Map.entry(606, "invalid_argument"),
            Map.entry(607, "permission_denied"),
            Map.entry(608, "permission_denied"));

    static String twirpCodeFor(int sipCode) {
        String mapped = TWIRP_CODE_BY_SIP_CODE.get(sipCode);
        if (mapped != null) {
            return mapped;
        }
        if (sipCode < 300) {
            throw new IllegalArgumentException("SIP " + sipCode + " is not a failure");
        }
        // §3.3 fallback: unlisted 4xx and 6xx are invalid_argument, unlisted 5xx failed_precondition.
        return sipCode >= 500 && sipCode < 600 ? "failed_precondition" : "invalid_argument";
    }

    /** "BUSY_HERE" for 486; the bare number for codes the 0.13.0 enum does not know, as Go's String() does. */
    static String shortName(int sipCode) {
        return enumName(sipCode).replaceFirst("^SIP_STATUS_", "");
    }

    static String enumName(int sipCode) {
        SIPStatusCode code = SIPStatusCode.forNumber(sipCode);
        return code == null ? Integer.toString(sipCode) : code.name();
    }

    /** The error a wait_until_answered CreateSIPParticipant returns for a final non-2xx answer (§2.5, §3.3). */
    static TwirpException inviteFailure(int sipCode, String reasonPhrase) {
        String twirpCode = twirpCodeFor(sipCode);
        String inner = "INVITE failed: sip status: " + sipCode + " (" + shortName(sipCode) + ")";
        String status = reasonPhrase.isEmpty() ? enumName(sipCode) : reasonPhrase;
        var meta = new LinkedHashMap<String, String>();
        meta.put("sip_status_code", Integer.toString(sipCode));
        meta.put("sip_status", status);
        meta.put("error_details", errorDetails(twirpCode, inner, sipCode, reasonPhrase));
        return new TwirpException(twirpCode, UNKNOWN_PREFIX + inner, meta);
    }

    /**
     * Base64 of a {@code google.rpc.Status} carrying {@code Any(livekit.SIPStatus)} as its only detail, which is what
     * xtwirp puts under {@code error_details}. The google.rpc protos (proto-google-common-protos) are not on this
     * classpath, so the three fields (code=1, message=2, details=3) are encoded by hand.
     */
    static String errorDetails(String twirpCode, String message, int sipCode, String reasonPhrase) {
        Any detail = Any.pack(SIPStatus.newBuilder()
                .setCodeValue(sipCode)
                .setStatus(reasonPhrase)
                .build());
        var bytes = new ByteArrayOutputStream();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, grpcCodeNumber(twirpCode));
            out.writeString(2, message);
            out.writeMessage(3, detail);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static int grpcCodeNumber(String twirpCode) {
        return switch (twirpCode) {
            case "canceled" -> 1;
            case "unknown" -> 2;
            case "invalid_argument", "malformed" -> 3;
            case "deadline_exceeded" -> 4;
            case "not_found", "bad_route" -> 5;
            case "already_exists" -> 6;
            case "permission_denied" -> 7;
            case "resource_exhausted" -> 8;
            case "failed_precondition" -> 9;
            case "aborted" -> 10;
            case "out_of_range" -> 11;
            case "unimplemented" -> 12;
            case "internal" -> 13;
            case "unavailable" -> 14;
            case "data_loss" -> 15;
            case "unauthenticated" -> 16;
            default -> 2;
        };
    }

    /**
     * What the server records when the SIP participant of a failed call leaves (§3.3 last column, §3.4): rejections
     * are USER_REJECTED, no-answer style codes USER_UNAVAILABLE, and carrier 5xx ("dropped") are reported as UNKNOWN,
     * which the server only accepts as CLIENT_INITIATED, unless the reason phrase reveals a CPS/concurrency limit.
     */
    static DisconnectReason disconnectReasonFor(int sipCode, String reasonPhrase) {
        if (sipCode == 480 || sipCode == 408 || sipCode == 404) {
            return DisconnectReason.USER_UNAVAILABLE;
        }
        if (sipCode >= 500 && sipCode < 600) {
            String phrase = reasonPhrase.toLowerCase(Locale.ROOT);
            return phrase.contains("cps limit") || phrase.contains("concurrent call limit")
                    ? DisconnectReason.USER_REJECTED
                    : DisconnectReason.CLIENT_INITIATED;
        }
        return DisconnectReason.USER_REJECTED;
    }
}
