package dev.dialplane.calls.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dialplane.calls.Call;
import dev.dialplane.calls.CallDialect;
import dev.dialplane.calls.CallOptions;
import dev.dialplane.calls.CallPriority;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.CallView;
import dev.dialplane.calls.CallsProperties;
import dev.dialplane.calls.EndReason;
import dev.dialplane.calls.OutboundCallRequests;
import dev.dialplane.calls.PlaceCall;
import dev.dialplane.calls.Preflight;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.web.Fields;
import dev.dialplane.common.web.LaxTypes;
import dev.dialplane.common.web.MultiLine;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.compliance.CalleeTimeZones;
import dev.dialplane.livekit.SipDialRequest.MediaEncryption;
import dev.dialplane.orgs.Tenant;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * MrAssistant-compatible {@code POST /calls/outbound}: every field, default and range of that API.
 * Returns at once with {@code status: "dialing"}, or with {@code wait_until_answered} once the
 * outcome is known. Schema and range errors are one 422 listing every bad field.
 */
@RestController
@LaxTypes
class OutboundCallController implements OutboundCallRequests {

    static final int MAX_CONTEXT_CHARS = 16_000;

    private final CallService calls;
    private final CallsProperties properties;
    private final RequestValidator validator;
    private final JsonMapper json;
    private final Clock clock;

    OutboundCallController(
            CallService calls, CallsProperties properties, RequestValidator validator, JsonMapper json, Clock clock) {
        this.calls = calls;
        this.clock = clock;
        this.properties = properties;
        this.validator = validator;
        this.json = json;
    }

    @PostMapping("/calls/outbound")
    ResponseEntity<OutboundCallResponse> outboundCall(
            Tenant tenant,
            @RequestBody OutboundCallRequest request,
            @RequestHeader(value = IdempotencyFilter.HEADER, required = false) @Nullable String idempotencyKey) {
        var place = placeCall(tenant, request, idempotencyKey);
        var wait = place.options().waitUntilAnswered();
        var call = calls.place(place);
        if (wait) {
            call = calls.awaitAnswer(call, properties.waitGrace());
        }
        return ResponseEntity.ok()
                .location(URI.create("/calls/" + call.id()))
                .header("X-Call-Id", call.id().toString())
                .body(OutboundCallResponse.of(
                        call, wait, calls.queueEstimate(call).orElse(null)));
    }

    /**
     * {@code POST /calls/preflight}: the body of {@code /calls/outbound}, every check a real call
     * runs, nothing stored or dialed.
     */
    @PostMapping("/calls/preflight")
    Preflight preflight(Tenant tenant, @RequestBody OutboundCallRequest request) {
        return calls.preflight(placeCall(tenant, request, null));
    }

    /** Studio's form: the same body, read by the same rules. */
    @Override
    public PlaceCall read(Tenant tenant, Map<String, Object> body) {
        OutboundCallRequest request;
        try {
            request = json.convertValue(body, OutboundCallRequest.class);
        } catch (JacksonException e) {
            var field = e.getPath().isEmpty()
                    ? "body"
                    : String.valueOf(e.getPath().getLast().getPropertyName());
            throw ApiException.invalid(field, "is not a valid value");
        }
        return placeCall(tenant, request, null);
    }

    /** The request, validated, as the call service takes it. */
    private PlaceCall placeCall(Tenant tenant, OutboundCallRequest request, @Nullable String idempotencyKey) {
        RequestValidator.reject(validator.violations(request));
        // validated above, so present and parseable
        var to = java.util.Objects.requireNonNull(Fields.e164("to_number", request.toNumber(), new ArrayList<>()));
        var from = request.fromNumber() == null
                ? null
                : Fields.e164("from_number", request.fromNumber(), new ArrayList<>());
        var context = request.context() == null ? null : json.writeValueAsString(request.context());

        var wait = Boolean.TRUE.equals(request.waitUntilAnswered());
        var options = new CallOptions(
                !Boolean.FALSE.equals(request.krispEnabled()),
                wait,
                request.displayName(),
                request.dtmf() == null || request.dtmf().isEmpty() ? null : request.dtmf(),
                Boolean.TRUE.equals(request.playDialtone()),
                request.mediaEncryption() == null
                        ? MediaEncryption.ALLOW
                        : MediaEncryption.valueOf(request.mediaEncryption()),
                request.ringingTimeoutSeconds() == null ? 80 : request.ringingTimeoutSeconds(),
                request.maxCallDurationSeconds() == null
                        ? CallOptions.DEFAULT_MAX_CALL_DURATION_SECONDS
                        : request.maxCallDurationSeconds(),
                Boolean.TRUE.equals(request.hidePhoneNumber()),
                request.customHeaders() == null ? Map.of() : request.customHeaders());
        var priority = request.priority() == null ? CallPriority.NORMAL : CallPriority.parse(request.priority());
        var schedule = schedule(request, clock.instant());
        return new PlaceCall(
                tenant,
                CallDialect.MRASSISTANT,
                request.agentId(),
                to,
                from,
                priority,
                options,
                context,
                Boolean.TRUE.equals(request.record()),
                idempotencyKey,
                request.calleeTimezone() == null
                        ? null
                        : CalleeTimeZones.parse(request.calleeTimezone()).orElse(null),
                schedule);
    }

    /**
     * The request's schedule, checked against the clock: {@code schedule_at} at most
     * {@link PlaceCall#MAX_SCHEDULE_AHEAD} ahead (a past one means at once), {@code latest_at} in
     * the future.
     */
    private static PlaceCall.@Nullable Schedule schedule(OutboundCallRequest request, Instant now) {
        var violations = new ArrayList<FieldViolation>();
        var at = Fields.instant("schedule_at", request.scheduleAt(), violations);
        var latest = Fields.instant("latest_at", request.latestAt(), violations);
        if (at != null && at.isAfter(now.plus(PlaceCall.MAX_SCHEDULE_AHEAD))) {
            violations.add(new FieldViolation(
                    "schedule_at", "must be at most " + PlaceCall.MAX_SCHEDULE_AHEAD.toDays() + " days ahead"));
        }
        if (latest != null && !latest.isAfter(now)) {
            violations.add(new FieldViolation("latest_at", "must be in the future (it is " + now + ")"));
        }
        RequestValidator.reject(violations);
        var within = Boolean.TRUE.equals(request.withinCallingWindow());
        return at == null && !within && latest == null ? null : new PlaceCall.Schedule(at, within, latest);
    }

    /**
     * MrAssistant's request model, field for field, plus Dialplane's {@code record}. Absent fields
     * take the documented defaults.
     */
    record OutboundCallRequest(
            @NotNull(message = "is required") UUID agentId,
            @NotNull(message = "is required") String toNumber,
            @Nullable String fromNumber,
            @Nullable @MultiLine Map<String, Object> context,

            @Nullable @Pattern(regexp = "^(low|normal|high|urgent)$", message = "must match ^(low|normal|high|urgent)$")
            String priority,

            @Nullable Boolean krispEnabled,
            @Nullable Boolean waitUntilAnswered,

            @Nullable @Size(max = 128, message = "must be at most 128 characters") @DisplayName @SingleLine
            String displayName,

            @Nullable @Size(max = 256, message = "must be at most 256 characters") @Pattern(regexp = "^[0-9*#A-Da-dw]*$", message = "may contain only 0-9 * # A-D a-d and w (0.5 s pause)")
            String dtmf,

            @Nullable Boolean playDialtone,

            @Nullable @Pattern(regexp = "^(DISABLE|ALLOW|REQUIRE)$", message = "must match ^(DISABLE|ALLOW|REQUIRE)$")
            String mediaEncryption,

            @Nullable @Min(value = 1, message = "must be between 1 and 80") @Max(value = 80, message = "must be between 1 and 80") Integer ringingTimeoutSeconds,

            @Nullable @Min(value = 60, message = "must be between 60 and 86400") @Max(value = 86400, message = "must be between 60 and 86400") Integer maxCallDurationSeconds,

            @Nullable Boolean hidePhoneNumber,
            @Nullable @SipHeaders Map<String, String> customHeaders,
            @Nullable Boolean record,
            @Nullable String calleeTimezone,
            @Nullable String scheduleAt,
            @Nullable Boolean withinCallingWindow,
            @Nullable String latestAt)
            implements RequestValidator.Checked {

        /** What Bean Validation cannot say: the numbers' E.164 form and the context's size as JSON. */
        @Override
        public List<FieldViolation> check() {
            var violations = new ArrayList<FieldViolation>();
            Fields.e164("to_number", toNumber, violations);
            Fields.e164("from_number", fromNumber, violations);
            if (calleeTimezone != null && CalleeTimeZones.parse(calleeTimezone).isEmpty()) {
                violations.add(
                        new FieldViolation("callee_timezone", "must be an IANA time zone id such as America/New_York"));
            }
            var start = Fields.instant("schedule_at", scheduleAt, violations);
            var latest = Fields.instant("latest_at", latestAt, violations);
            if (start != null && latest != null && !latest.isAfter(start)) {
                violations.add(new FieldViolation("latest_at", "must be after schedule_at"));
            }
            if (Boolean.TRUE.equals(waitUntilAnswered)
                    && (scheduleAt != null || Boolean.TRUE.equals(withinCallingWindow))) {
                violations.add(new FieldViolation(
                        "wait_until_answered",
                        "cannot be true for a call that may be scheduled (schedule_at or within_calling_window)"));
            }
            if (context != null) {
                var length = JsonMapper.shared().writeValueAsString(context).length();
                if (length > MAX_CONTEXT_CHARS) {
                    violations.add(new FieldViolation(
                            "context",
                            "must be at most " + MAX_CONTEXT_CHARS + " characters as JSON (is " + length + ")"));
                }
            }
            return violations;
        }
    }

    /**
     * MrAssistant's response model; {@code direction} is always "outbound" and {@code session_id}
     * equals {@code call_id}. A request that waited also gets {@code end_reason} and
     * {@code sip_status_code} when they are known; a queued call its {@code queue_position} and,
     * on a rate-limited trunk, {@code estimated_start_at}.
     */
    record OutboundCallResponse(
            UUID callId,
            UUID sessionId,
            String roomName,
            UUID agentId,
            String direction,
            String fromNumber,
            String toNumber,
            CallStatus status,
            CallView.RecordingView recording,
            List<String> calleeTimezones,
            @Nullable String calleeLocalTime,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable EndReason endReason,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer sipStatusCode,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long queuePosition,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant estimatedStartAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant scheduleAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant latestAt) {

        static OutboundCallResponse of(Call call, boolean waited, CallService.@Nullable QueueEstimate queue) {
            return new OutboundCallResponse(
                    call.id(),
                    call.id(),
                    call.roomName(),
                    call.agentId(),
                    Call.DIRECTION,
                    call.fromNumber(),
                    call.toNumber(),
                    call.status(),
                    CallView.RecordingView.of(call.recording()),
                    call.calleeTimezones(),
                    call.calleeLocalTime(),
                    waited ? call.endReason() : null,
                    waited ? call.sipStatusCode() : null,
                    queue == null ? null : queue.position(),
                    queue == null ? null : queue.estimatedStartAt(),
                    call.scheduleAt(),
                    call.latestAt());
        }
    }
}
