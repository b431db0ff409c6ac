package dev.dialplane.calls.web;

import dev.dialplane.calls.Call;
import dev.dialplane.calls.CallDialect;
import dev.dialplane.calls.CallOptions;
import dev.dialplane.calls.CallPriority;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.CallsProperties;
import dev.dialplane.calls.EndReason;
import dev.dialplane.calls.PlaceCall;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.E164;
import dev.dialplane.compliance.CallingWindows;
import dev.dialplane.compliance.DoNotCallList;
import dev.dialplane.orgs.Tenant;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * TalkifAI-compatible {@code POST /telephony/outbound-call}: the agent is the caller number's
 * outbound agent, and the request waits for the callee to answer (at most
 * {@code dialplane.calls.answer-timeout}, 60 s by default; then 408). Errors use TalkifAI's
 * envelope {@code {"success": false, "error", "code"}}; the call id, when a call was created, is in
 * the {@code X-Call-Id} header.
 */
@RestController
class TalkifaiCallController {

    /** A call to a number on the organization's do-not-call list, in TalkifAI's words. */
    static final String NUMBER_BLOCKED = "NUMBER_BLOCKED";

    private final CallService calls;
    private final CallsProperties properties;

    TalkifaiCallController(CallService calls, CallsProperties properties) {
        this.calls = calls;
        this.properties = properties;
    }

    @PostMapping("/telephony/outbound-call")
    ResponseEntity<TalkifaiCallResponse> outboundCall(
            Tenant tenant,
            @RequestParam("to_number") String toNumber,
            @RequestParam("from_number") String fromNumber,
            @RequestHeader(value = IdempotencyFilter.HEADER, required = false) @Nullable String idempotencyKey) {
        var to = number("to_number", toNumber);
        var from = number("from_number", fromNumber);
        var ringing = (int) Math.max(1, properties.answerTimeout().toSeconds());
        Call placed;
        try {
            placed = calls.place(new PlaceCall(
                    tenant,
                    CallDialect.TALKIFAI,
                    null,
                    to,
                    from,
                    CallPriority.NORMAL,
                    CallOptions.defaults(ringing),
                    null,
                    false,
                    idempotencyKey,
                    null,
                    null));
        } catch (ApiException e) {
            // TalkifAI answers a refused call with 400, as it does every request it will not carry out
            if (e.code().equals(CallingWindows.OUTSIDE_CALLING_WINDOW)
                    || e.code().equals(CallingWindows.CALLEE_TIMEZONE_UNKNOWN)) {
                throw ApiException.badRequest(e.code(), java.util.Objects.requireNonNullElse(e.getMessage(), e.code()));
            }
            if (e.code().equals(DoNotCallList.NUMBER_ON_DNC)) {
                throw ApiException.badRequest(NUMBER_BLOCKED, e.getMessage());
            }
            throw e;
        }
        var call = calls.awaitAnswer(placed, properties.waitGrace());
        if (call.status() != CallStatus.IN_PROGRESS && call.status() != CallStatus.COMPLETED) {
            throw outcomeError(call, ringing);
        }
        var body = new TalkifaiCallResponse(
                true,
                "Call initiated successfully",
                call.roomName(),
                new TalkifaiCallResponse.AgentRef(call.agentId(), call.agentName()),
                call.fromNumber(),
                call.toNumber());
        return ResponseEntity.ok()
                .location(URI.create("/calls/" + call.id()))
                .header("X-Call-Id", call.id().toString())
                .body(body);
    }

    /**
     * Query strings decode '+' as a space, so an unencoded "+12025550123" arrives as
     * " 12025550123"; that one unambiguous case is read as the '+' it was.
     */
    private static String number(String field, String raw) {
        var value = raw.length() > 1 && raw.charAt(0) == ' ' && Character.isDigit(raw.charAt(1))
                ? "+" + raw.substring(1)
                : raw;
        try {
            return E164.parse(field, value);
        } catch (E164.InvalidNumber e) {
            throw ApiException.badRequest("INVALID_PHONE_NUMBER", e.getMessage());
        }
    }

    private static ApiException outcomeError(Call call, int ringingSeconds) {
        var reason = call.endReason();
        var sip = call.sipStatusCode() == null ? "" : " (SIP " + call.sipStatusCode() + ")";
        HttpStatus status;
        String code;
        String message;
        if (call.status() == CallStatus.NO_ANSWER) {
            status = HttpStatus.REQUEST_TIMEOUT;
            code = "CALL_TIMEOUT";
            message = "The callee did not answer within " + ringingSeconds + " s" + sip + ".";
        } else if (call.status() == CallStatus.BUSY) {
            status = HttpStatus.CONFLICT;
            code = "CALL_BUSY";
            message = "The callee's line is busy" + sip + ".";
        } else if (reason == EndReason.QUEUE_TIMEOUT) {
            status = HttpStatus.REQUEST_TIMEOUT;
            code = "CALL_TIMEOUT";
            message = "No line was free within " + ringingSeconds
                    + " s (the trunk or organization is at its limit); the call was canceled.";
        } else if (reason == EndReason.DNC) {
            status = HttpStatus.BAD_REQUEST;
            code = NUMBER_BLOCKED;
            message = call.toNumber()
                    + " was put on your organization's do-not-call list while the call waited for a line; it was canceled undialed.";
        } else if (call.status() == CallStatus.CANCELED) {
            status = HttpStatus.CONFLICT;
            code = "CALL_CANCELED";
            message = "The call was canceled before it was answered.";
        } else if (reason == EndReason.DECLINED) {
            status = HttpStatus.CONFLICT;
            code = "CALL_DECLINED";
            message = "The callee declined the call" + sip + ".";
        } else if (reason == EndReason.INVALID_NUMBER) {
            status = HttpStatus.BAD_REQUEST;
            code = "INVALID_DESTINATION";
            message =
                    "The carrier could not reach " + call.toNumber() + sip + ": the number is invalid or unreachable.";
        } else if (reason == EndReason.CARRIER_ERROR
                || reason == EndReason.CARRIER_CAPACITY
                || reason == EndReason.TRUNK_AUTH_FAILED) {
            status = HttpStatus.BAD_GATEWAY;
            code = "CARRIER_ERROR";
            message = switch (reason) {
                        case TRUNK_AUTH_FAILED -> "The carrier refused the SIP trunk's credentials";
                        case CARRIER_CAPACITY ->
                            "The carrier refused the call for capacity (calls per second or channels)";
                        default -> "The carrier or SIP trunk failed";
                    }
                    + sip + ".";
        } else if (reason == EndReason.LIVEKIT_UNAVAILABLE) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
            code = "TELEPHONY_UNAVAILABLE";
            message = "The telephony service (LiveKit) is unreachable; the call was not placed. Try again later.";
        } else {
            status = HttpStatus.BAD_GATEWAY;
            code = "TELEPHONY_ERROR";
            message = "The call could not be placed: "
                    + (call.errorMessage() == null ? "telephony error" : call.errorMessage());
        }
        var error = new ApiException(
                status,
                code,
                message,
                java.util.List.of(),
                Map.of("call_id", call.id().toString()));
        return reason == EndReason.LIVEKIT_UNAVAILABLE ? error.retryAfter(CallService.TELEPHONY_RETRY_AFTER) : error;
    }

    /** Exactly the TalkifAI success body. */
    record TalkifaiCallResponse(
            boolean success, String message, String roomName, AgentRef agent, String fromNumber, String toNumber) {

        record AgentRef(UUID id, String name) {}
    }
}
