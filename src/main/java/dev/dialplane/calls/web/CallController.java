package dev.dialplane.calls.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dialplane.calls.Call;
import dev.dialplane.calls.CallEvent;
import dev.dialplane.calls.CallFilter;
import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.CallTransfers;
import dev.dialplane.calls.CallView;
import dev.dialplane.calls.OutcomeReport;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.E164;
import dev.dialplane.common.FieldViolation;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.Timestamps;
import dev.dialplane.common.web.JsonMergePatch;
import dev.dialplane.common.web.RequestValidator;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.orgs.Tenant;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A call's resource, history and controls, and the organization's call list. */
@RestController
@RequestMapping("/calls")
class CallController implements CallTransfers {

    private static final String HOST_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final java.util.regex.Pattern SIP_URI = java.util.regex.Pattern.compile(
            "sip:([^@\\s;]+)@" + HOST_LABEL + "(?:\\." + HOST_LABEL + ")*(:\\d{1,5})?(;\\S*)?");

    private final CallService calls;
    private final CallOutcomes outcomes;
    private final RequestValidator validator;
    private final JsonMergePatch bodies;

    CallController(CallService calls, CallOutcomes outcomes, RequestValidator validator, JsonMergePatch bodies) {
        this.calls = calls;
        this.outcomes = outcomes;
        this.validator = validator;
        this.bodies = bodies;
    }

    /**
     * Calls newest first. {@code status} takes one or more statuses separated by commas; the time
     * range applies to {@code created_at} ({@code created_after} inclusive, {@code created_before}
     * exclusive, ISO-8601 instants).
     */
    @GetMapping
    Page<CallView> list(
            Tenant tenant,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(name = "agent_id", required = false) @Nullable UUID agentId,
            @RequestParam(name = "from_number", required = false) @Nullable String fromNumber,
            @RequestParam(name = "to_number", required = false) @Nullable String toNumber,
            @RequestParam(name = "created_after", required = false) @Nullable String createdAfter,
            @RequestParam(name = "created_before", required = false) @Nullable String createdBefore,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        var filter = new CallFilter(
                statuses(status),
                agentId,
                number("from_number", fromNumber),
                number("to_number", toNumber),
                instant("created_after", createdAfter),
                instant("created_before", createdBefore));
        return outcomes.views(calls.list(tenant, filter, PageRequest.of(limit, cursor)));
    }

    /**
     * MrAssistant's list of one agent's calls: newest first, offset paging. {@code status_filter}
     * takes MrAssistant's statuses ({@link #MRASSISTANT_STATUSES}); {@code start_date} (inclusive)
     * and {@code end_date} (exclusive; a date alone includes that whole day, UTC) apply to
     * {@code created_at}, which is the call's {@code started_at}. Dialplane places only outbound
     * calls, so {@code direction=inbound} is an empty list.
     */
    @GetMapping("/agent/{agent_id}/calls")
    AgentCallsResponse agentCalls(
            Tenant tenant,
            @PathVariable("agent_id") UUID agentId,
            @RequestParam(required = false) @Nullable String limit,
            @RequestParam(required = false) @Nullable String offset,
            @RequestParam(required = false) @Nullable String direction,
            @RequestParam(name = "status_filter", required = false) @Nullable String statusFilter,
            @RequestParam(name = "start_date", required = false) @Nullable String startDate,
            @RequestParam(name = "end_date", required = false) @Nullable String endDate) {
        int pageSize = integer(limit, 100);
        if (pageSize < 1 || pageSize > 500) {
            throw ApiException.badRequest(
                    "INVALID_LIMIT", "limit must be an integer between 1 and 500 (got '" + limit + "')");
        }
        int skip = integer(offset, 0);
        if (skip < 0) {
            throw ApiException.badRequest(
                    "INVALID_PARAMETER",
                    "offset must be an integer from 0 to " + Integer.MAX_VALUE + " (got '" + offset + "')");
        }
        var inbound = false;
        if (direction != null && !direction.isBlank()) {
            switch (direction.strip().toLowerCase(Locale.ROOT)) {
                case "outbound" -> {}
                case "inbound" -> inbound = true;
                default ->
                    throw ApiException.badRequest(
                            "INVALID_PARAMETER", "direction must be inbound or outbound (got '" + direction + "')");
            }
        }
        var filter = new CallFilter(
                mrAssistantStatuses(statusFilter),
                agentId,
                null,
                null,
                date("start_date", startDate, false),
                date("end_date", endDate, true));
        var page = calls.listForAgent(tenant, agentId, inbound, filter, skip, pageSize);
        return new AgentCallsResponse(agentId, outcomes.views(page.calls()), page.total(), pageSize, skip);
    }

    /**
     * {@code GET /calls/agent/{agent_id}/calls}: MrAssistant's own list routes answer an object of
     * the items and their {@code total} ({@code GET /agents/{agent_id}/transcripts}), so this does too.
     */
    record AgentCallsResponse(UUID agentId, List<CallView> calls, long total, int limit, int offset) {}

    @GetMapping("/{id}")
    CallView get(Tenant tenant, @PathVariable UUID id) {
        return outcomes.view(calls.get(tenant, id));
    }

    @GetMapping("/{id}/events")
    Map<String, List<EventResource>> events(Tenant tenant, @PathVariable UUID id) {
        return Map.of(
                "data", calls.events(tenant, id).stream().map(EventResource::of).toList());
    }

    /**
     * Ends a live call ({@code completed}) or cancels one not yet answered ({@code canceled}).
     * {@code /end} is MrAssistant's End Call, the same operation.
     */
    @PostMapping({"/{id}/hangup", "/{id}/end"})
    CallView hangUp(Tenant tenant, @PathVariable UUID id) {
        return outcomes.view(calls.hangUp(tenant, id));
    }

    /**
     * Transfers an answered call (SIP REFER) to {@code transfer_to} (MrAssistant's name) or
     * {@code to} (Dialplane's first name for it). Only a cold transfer: a warm one needs the agent
     * to brief the transferee in a consultation room, which only the agent can do.
     */
    @PostMapping("/{id}/transfer")
    CallView transfer(Tenant tenant, @PathVariable UUID id, @RequestBody TransferRequest request) {
        RequestValidator.reject(validator.violations(request));
        return outcomes.view(transferValidated(tenant, id, request));
    }

    /** Studio's transfer: the same body, read by the same rules. */
    @Override
    public Call transfer(Tenant tenant, UUID id, Map<String, Object> body) {
        return transferValidated(tenant, id, bodies.read(body, TransferRequest.class));
    }

    /** A validated request's transfer. */
    private Call transferValidated(Tenant tenant, UUID id, TransferRequest request) {
        if ("warm".equals(request.transferType())) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "WARM_TRANSFER_NOT_SUPPORTED",
                    "transfer_type 'warm' is not supported: in a warm transfer the agent puts the callee on hold,"
                            + " dials the transferee into a consultation room and briefs them before the callee is"
                            + " moved, and only the agent holds the conversation to brief them with. Let the agent"
                            + " run it with LiveKit's warm-transfer pattern (WarmTransferTask, see"
                            + " https://docs.livekit.io/telephony/features/transfers/warm/), or send transfer_type"
                            + " 'cold' for a direct SIP REFER. Nothing was changed.");
        }
        // validated above: one of them is given, and both are equal when both are
        var given = request.transferTo() != null ? request.transferTo() : request.to();
        var target = Objects.requireNonNull(target("transfer_to", Objects.requireNonNull(given), new ArrayList<>()));
        return calls.transfer(tenant, id, target, Boolean.TRUE.equals(request.playDialtone()));
    }

    /**
     * MrAssistant's transfer body ({@code transfer_to}, {@code transfer_type}, {@code play_dialtone})
     * plus Dialplane's earlier {@code to}: {@code transfer_to} is required unless {@code to} is given.
     */
    record TransferRequest(
            @Nullable @Size(max = 300, message = "must be at most 300 characters") @SingleLine(readable = false)
            String to,

            @Nullable @Size(max = 300, message = "must be at most 300 characters") @SingleLine(readable = false)
            String transferTo,

            @Nullable @Pattern(regexp = "^(cold|warm)$", message = "must match ^(cold|warm)$")
            String transferType,

            @Nullable Boolean playDialtone)
            implements RequestValidator.Checked {

        @Override
        public List<FieldViolation> check() {
            var violations = new ArrayList<FieldViolation>();
            if (to == null && transferTo == null) {
                violations.add(new FieldViolation(
                        "transfer_to",
                        "is required: tel:+<E.164 number>, sip:user@domain or sip:+<E.164 number>@host",
                        List.of("transfer_to"),
                        "missing",
                        null,
                        Map.of()));
                return violations;
            }
            var fromTo = to == null ? null : target("to", to, violations);
            var fromTransferTo = transferTo == null ? null : target("transfer_to", transferTo, violations);
            if (fromTo != null && fromTransferTo != null && !fromTo.equals(fromTransferTo)) {
                violations.add(new FieldViolation(
                        "transfer_to", "differs from to: give the target once, in transfer_to (or to)"));
            }
            return violations;
        }
    }

    /**
     * One event of the call: a state change ({@code type} {@code status_changed}) or an outcome
     * report ({@code outcome_reported}, with the fields that report gave in {@code outcome};
     * {@code status} is then the call's status when it arrived).
     */
    record EventResource(
            int sequence,
            String type,
            CallStatus status,
            @Nullable String cause,
            @Nullable Integer sipStatusCode,
            Instant occurredAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable OutcomeReport outcome) {
        static EventResource of(CallEvent event) {
            return new EventResource(
                    event.sequence(),
                    event.type(),
                    event.status(),
                    event.cause(),
                    event.sipStatusCode(),
                    event.occurredAt(),
                    event.outcome());
        }
    }

    /**
     * A transfer target as LiveKit takes it, or null with a violation naming {@code field}: {@code tel:}
     * with a strict E.164 number, or a {@code sip:} URI (LiveKit refuses {@code sips:}) whose user part, when it starts
     * with {@code +}, is a strict E.164 number too.
     */
    static @Nullable String target(String field, String value, List<FieldViolation> violations) {
        var to = value.strip();
        if (to.isEmpty()) {
            violations.add(new FieldViolation(field, "must not be blank"));
            return null;
        }
        if (to.startsWith("tel:")) {
            try {
                return "tel:" + E164.parse(field, to.substring(4));
            } catch (E164.InvalidNumber e) {
                violations.add(new FieldViolation(field, e.getMessage()));
                return null;
            }
        }
        var sip = SIP_URI.matcher(to);
        if (!sip.matches()) {
            violations.add(new FieldViolation(
                    field,
                    "must be tel:+<E.164 number>, sip:user@domain or sip:+<E.164 number>@host,"
                            + " e.g. tel:+12025550123 or sip:support@pbx.example.com"));
            return null;
        }
        var user = sip.group(1);
        if (user.startsWith("+")) {
            try {
                E164.parse(field, user);
            } catch (E164.InvalidNumber e) {
                violations.add(new FieldViolation(field, "the SIP URI's user part: " + e.getMessage()));
                return null;
            }
        }
        return to;
    }

    /** A query parameter's integer, its default when absent, or -1 when it is not an int (every caller refuses that). */
    private static int integer(@Nullable String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** MrAssistant's call statuses, as Dialplane's statuses map onto them. */
    static final Map<String, Set<CallStatus>> MRASSISTANT_STATUSES = Map.of(
            "initiated", EnumSet.of(CallStatus.SCHEDULED, CallStatus.QUEUED, CallStatus.DIALING),
            "ringing", EnumSet.of(CallStatus.RINGING),
            "answered", EnumSet.of(CallStatus.IN_PROGRESS),
            "ended", EnumSet.of(CallStatus.COMPLETED),
            "failed", EnumSet.of(CallStatus.BUSY, CallStatus.NO_ANSWER, CallStatus.FAILED, CallStatus.CANCELED));

    private static Set<CallStatus> mrAssistantStatuses(@Nullable String status) {
        if (status == null || status.isBlank()) {
            return Set.of();
        }
        var statuses = MRASSISTANT_STATUSES.get(status.strip().toLowerCase(Locale.ROOT));
        if (statuses == null) {
            throw ApiException.badRequest(
                    "INVALID_PARAMETER",
                    "status_filter must be one of initiated, ringing, answered, ended, failed (got '" + status + "')");
        }
        return statuses;
    }

    /**
     * {@code start_date} / {@code end_date}: an ISO date ({@code 2026-12-01}, midnight UTC; as an
     * end, the day after, so the day is included) or date-time, with an offset or without (UTC).
     * A {@code +} sent unencoded arrives as a space, and is read as the offset's sign.
     */
    private static @Nullable Instant date(String name, @Nullable String value, boolean end) {
        if (value == null || value.isBlank()) {
            return null;
        }
        var text = value.strip();
        if (text.length() > 19 && text.charAt(text.length() - 6) == ' ') {
            text = text.substring(0, text.length() - 6) + "+" + text.substring(text.length() - 5);
        }
        Instant instant;
        try {
            if (text.indexOf('T') < 0 && text.indexOf('t') < 0 && text.indexOf(' ') < 0) {
                var day = java.time.LocalDate.parse(text);
                instant = (end ? day.plusDays(1) : day)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant();
                if (end && instant.isAfter(Timestamps.MAX) && Timestamps.inRange(instant.minusSeconds(86_400))) {
                    instant = Timestamps.MAX; // the last day there is: the bound is the end of time
                }
            } else {
                var parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(
                        text.replace(' ', 'T').replace('t', 'T'), OffsetDateTime::from, LocalDateTime::from);
                instant = parsed instanceof OffsetDateTime offset
                        ? offset.toInstant()
                        : ((LocalDateTime) parsed).toInstant(java.time.ZoneOffset.UTC);
            }
        } catch (DateTimeException e) {
            throw ApiException.badRequest(
                    "INVALID_PARAMETER",
                    name + " '" + value + "' is not an ISO-8601 date or date-time such as 2026-12-01 or"
                            + " 2026-12-01T10:00:00Z");
        }
        if (!Timestamps.inRange(instant)) {
            throw ApiException.badRequest(
                    "INVALID_PARAMETER",
                    name + " '" + value + "' is out of range: it must be " + Timestamps.RANGE + ".");
        }
        return instant;
    }

    private static EnumSet<CallStatus> statuses(@Nullable String status) {
        var statuses = EnumSet.noneOf(CallStatus.class);
        if (status == null || status.isBlank()) {
            return statuses;
        }
        for (var part : status.split(",")) {
            try {
                statuses.add(CallStatus.fromDatabase(part.strip().toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(
                        "INVALID_PARAMETER",
                        "status '" + part.strip() + "' is not one of "
                                + String.join(
                                        ", ",
                                        Arrays.stream(CallStatus.values())
                                                .map(CallStatus::toString)
                                                .toList()));
            }
        }
        return statuses;
    }

    private static @Nullable String number(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        var raw = value.charAt(0) == ' ' ? "+" + value.strip() : value.strip();
        try {
            return E164.parse(name, raw);
        } catch (E164.InvalidNumber e) {
            throw ApiException.badRequest("INVALID_PARAMETER", e.getMessage());
        }
    }

    private static @Nullable Instant instant(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    "INVALID_PARAMETER",
                    name + " '" + value + "' is not an ISO-8601 instant such as 2026-11-21T10:00:00Z");
        }
        if (!Timestamps.inRange(instant)) {
            throw ApiException.badRequest(
                    "INVALID_PARAMETER",
                    name + " '" + value + "' is out of range: it must be " + Timestamps.RANGE + ".");
        }
        return instant;
    }
}
