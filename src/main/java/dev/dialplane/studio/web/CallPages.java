package dev.dialplane.studio.web;

import dev.dialplane.agents.AgentService;
import dev.dialplane.calls.CallFilter;
import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.calls.CallTransfers;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.E164;
import dev.dialplane.common.PageRequest;
import dev.dialplane.studio.StudioUser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The calls list (filters by status, number, agent and time, as {@code GET /calls} takes them;
 * cursor paging, live rows) and a call's page (timeline, hang-up, transfer).
 */
@Controller
class CallPages {

    private static final int PAGE_SIZE = 25;

    private final CallService calls;
    private final CallOutcomes outcomes;
    private final CallTransfers transfers;
    private final AgentService agents;

    CallPages(CallService calls, CallOutcomes outcomes, CallTransfers transfers, AgentService agents) {
        this.calls = calls;
        this.outcomes = outcomes;
        this.transfers = transfers;
        this.agents = agents;
    }

    /** The list's filters as the page's query string takes them (times are UTC, as the page shows them). */
    record Filters(
            @Nullable String status,
            @Nullable String number,
            @Nullable String agent,
            @Nullable String from,
            @Nullable String to) {

        String value(@Nullable String text) {
            return text == null ? "" : text;
        }

        boolean any() {
            return !(value(status).isBlank()
                    && value(number).isBlank()
                    && value(agent).isBlank()
                    && value(from).isBlank()
                    && value(to).isBlank());
        }
    }

    @GetMapping("/studio/calls")
    String list(
            @AuthenticationPrincipal StudioUser user,
            @ModelAttribute Filters filters,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        rows(user, filters, cursor, model);
        model.addAttribute(
                "statuses",
                Arrays.stream(CallStatus.values()).map(CallStatus::toString).toList());
        model.addAttribute(
                "agents",
                agents.list(user.tenant(), PageRequest.of(PageRequest.MAX_LIMIT, null))
                        .data());
        return "studio/calls";
    }

    /** The table's rows, fetched again whenever a call of the organization changes. */
    @GetMapping("/studio/calls/rows")
    String rows(
            @AuthenticationPrincipal StudioUser user,
            @ModelAttribute Filters filters,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        model.addAttribute("status", filters.value(filters.status()));
        model.addAttribute("number", filters.value(filters.number()));
        model.addAttribute("agent", filters.value(filters.agent()));
        model.addAttribute("from", filters.value(filters.from()));
        model.addAttribute("to", filters.value(filters.to()));
        model.addAttribute("filtered", filters.any());
        model.addAttribute("cursor", cursor == null ? "" : cursor);
        var problems = new ArrayList<String>();
        var filter = filter(filters, problems);
        if (!problems.isEmpty()) {
            model.addAttribute("filterError", String.join(" ", problems));
            model.addAttribute("calls", List.of());
            model.addAttribute("nextCursor", null);
            return "studio/calls :: rows";
        }
        var page = calls.list(user.tenant(), filter, PageRequest.of(PAGE_SIZE, cursor));
        model.addAttribute("calls", page.data());
        model.addAttribute("nextCursor", page.nextCursor());
        return "studio/calls :: rows";
    }

    /** The filters as {@code GET /calls} narrows its list: the same {@link CallFilter}, the same query. */
    private static CallFilter filter(Filters filters, List<String> problems) {
        var statuses = Set.<CallStatus>of();
        var status = filters.status();
        if (status != null && !status.isBlank()) {
            var chosen = Arrays.stream(CallStatus.values())
                    .filter(s -> s.toString().equals(status))
                    .findFirst();
            if (chosen.isEmpty()) {
                problems.add("No call status " + status + ".");
            } else {
                statuses = Set.of(chosen.get());
            }
        }
        // the number the call went to, as GET /calls?to_number= takes it
        String to = null;
        var number = filters.number();
        if (number != null && !number.isBlank()) {
            try {
                to = E164.parse("number", number.strip());
            } catch (E164.InvalidNumber e) {
                problems.add(e.getMessage());
            }
        }
        UUID agent = null;
        var agentText = filters.agent();
        if (agentText != null && !agentText.isBlank()) {
            try {
                agent = UUID.fromString(agentText.strip());
            } catch (IllegalArgumentException e) {
                problems.add("agent: no such agent.");
            }
        }
        var after = instant("from", filters.from(), problems);
        var before = instant("to", filters.to(), problems);
        if (after != null && before != null && !after.isBefore(before)) {
            problems.add("from must be before to.");
        }
        return new CallFilter(statuses, agent, null, to, after, before);
    }

    /** A {@code datetime-local} field's value, read as UTC (the list shows UTC). */
    private static @Nullable Instant instant(String field, @Nullable String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.strip()).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            problems.add(field + ": must be a date and time such as 2026-12-03T09:30.");
            return null;
        }
    }

    @GetMapping("/studio/calls/{id}")
    String call(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, Model model) {
        panel(user, id, model);
        return "studio/call";
    }

    /** The call's live part: status, timeline, cost, outcome and the hang-up control. */
    @GetMapping("/studio/calls/{id}/panel")
    String panel(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, Model model) {
        var call = calls.get(user.tenant(), id);
        model.addAttribute("call", call);
        model.addAttribute("view", outcomes.view(call));
        model.addAttribute("events", calls.events(user.tenant(), id));
        model.addAttribute("outcome", outcomes.find(id).orElse(null));
        return "studio/call :: panel";
    }

    /**
     * Transfers a live call as {@code POST /calls/{id}/transfer} does (its body, its rules, its
     * refusals in its words: a warm transfer, a bad target, a call not answered or ended).
     */
    @PostMapping("/studio/calls/{id}/transfer")
    String transfer(
            @AuthenticationPrincipal StudioUser user,
            @PathVariable UUID id,
            @RequestParam(name = "transfer_to", required = false) @Nullable String transferTo,
            @RequestParam(name = "transfer_type", required = false) @Nullable String transferType,
            @RequestParam(name = "play_dialtone", required = false) @Nullable String playDialtone,
            RedirectAttributes redirect) {
        var body = new LinkedHashMap<String, Object>();
        body.put("transfer_to", transferTo == null ? "" : transferTo);
        if (transferType != null && !transferType.isBlank()) {
            body.put("transfer_type", transferType);
        }
        body.put("play_dialtone", "true".equals(playDialtone));
        try {
            var call = transfers.transfer(user.tenant(), id, body);
            redirect.addFlashAttribute("notice", "The call was transferred to " + call.transferTo() + ".");
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            var reasons = String.join("; ", StudioForms.messages(e));
            redirect.addFlashAttribute("error", "The call was not transferred: " + reasons);
        }
        return "redirect:/studio/calls/" + id;
    }

    @PostMapping("/studio/calls/{id}/hang-up")
    String hangUp(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        try {
            calls.hangUp(user.tenant(), id);
            redirect.addFlashAttribute("notice", "The call was hung up.");
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            // the API's own words: already ended (409), LiveKit unreachable (503)
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/studio/calls/" + id;
    }
}
