package dev.dialplane.calls.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dialplane.calls.CallEvent;
import dev.dialplane.calls.CallFilter;
import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.CallView;
import dev.dialplane.calls.OutcomeReport;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.E164;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.common.Timestamps;
import dev.dialplane.common.web.SingleLine;
import dev.dialplane.orgs.Tenant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
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
class CallController {

    private static final Pattern SIP_URI = Pattern.compile("sips?:[^@\\s;]+@[A-Za-z0-9.\\-]+(:\\d{1,5})?(;[^\\s]*)?");

    private final CallService calls;
    private final CallOutcomes outcomes;

    CallController(CallService calls, CallOutcomes outcomes) {
        this.calls = calls;
        this.outcomes = outcomes;
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

    @GetMapping("/{id}")
    CallView get(Tenant tenant, @PathVariable UUID id) {
        return outcomes.view(calls.get(tenant, id));
    }

    @GetMapping("/{id}/events")
    Map<String, List<EventResource>> events(Tenant tenant, @PathVariable UUID id) {
        return Map.of(
                "data", calls.events(tenant, id).stream().map(EventResource::of).toList());
    }

    /** Ends a live call ({@code completed}) or cancels one not yet answered ({@code canceled}). */
    @PostMapping("/{id}/hangup")
    CallView hangUp(Tenant tenant, @PathVariable UUID id) {
        return outcomes.view(calls.hangUp(tenant, id));
    }

    /** Transfers an answered call to {@code tel:+E164} or a {@code sip:} URI (SIP REFER). */
    @PostMapping("/{id}/transfer")
    CallView transfer(Tenant tenant, @PathVariable UUID id, @Valid @RequestBody TransferRequest request) {
        return outcomes.view(
                calls.transfer(tenant, id, target(request.to().strip()), Boolean.TRUE.equals(request.playDialtone())));
    }

    record TransferRequest(
            @NotBlank @Size(max = 300) @SingleLine(readable = false)
            String to,

            @Nullable Boolean playDialtone) {}

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

    private static String target(String to) {
        if (to.startsWith("tel:")) {
            try {
                return "tel:" + E164.parse("to", to.substring(4));
            } catch (E164.InvalidNumber e) {
                throw ApiException.invalid("to", e.getMessage());
            }
        }
        if (!SIP_URI.matcher(to).matches()) {
            throw ApiException.invalid(
                    "to",
                    "must be tel:+<E.164 number> or a SIP URI, e.g. tel:+12025550123 or sip:support@pbx.example.com");
        }
        return to;
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
