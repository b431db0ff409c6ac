package dev.dialplane.studio.web;

import dev.dialplane.calls.CallFilter;
import dev.dialplane.calls.CallOutcomes;
import dev.dialplane.calls.CallService;
import dev.dialplane.calls.CallStatus;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.E164;
import dev.dialplane.common.PageRequest;
import dev.dialplane.studio.StudioUser;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The calls list (filter, cursor paging, live rows) and a call's page (timeline, hang-up). */
@Controller
class CallPages {

    private static final int PAGE_SIZE = 25;

    private final CallService calls;
    private final CallOutcomes outcomes;

    CallPages(CallService calls, CallOutcomes outcomes) {
        this.calls = calls;
        this.outcomes = outcomes;
    }

    @GetMapping("/studio/calls")
    String list(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String number,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        rows(user, status, number, cursor, model);
        model.addAttribute(
                "statuses",
                Arrays.stream(CallStatus.values()).map(CallStatus::toString).toList());
        return "studio/calls";
    }

    /** The table's rows, fetched again whenever a call of the organization changes. */
    @GetMapping("/studio/calls/rows")
    String rows(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String number,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var statuses = Set.<CallStatus>of();
        if (status != null && !status.isBlank()) {
            var chosen = Arrays.stream(CallStatus.values())
                    .filter(s -> s.toString().equals(status))
                    .findFirst()
                    .orElseThrow(() -> ApiException.badRequest("INVALID_PARAMETER", "No call status " + status + "."));
            statuses = Set.of(chosen);
        }
        // the number the call went to, as GET /calls?to_number= takes it
        String to = null;
        model.addAttribute("status", status == null ? "" : status);
        model.addAttribute("number", number == null ? "" : number);
        model.addAttribute("cursor", cursor == null ? "" : cursor);
        if (number != null && !number.isBlank()) {
            try {
                to = E164.parse("number", number.strip());
            } catch (E164.InvalidNumber e) {
                model.addAttribute("filterError", e.getMessage());
                model.addAttribute("calls", java.util.List.of());
                model.addAttribute("nextCursor", null);
                return "studio/calls :: rows";
            }
        }
        var page = calls.list(
                user.tenant(), new CallFilter(statuses, null, null, to, null, null), PageRequest.of(PAGE_SIZE, cursor));
        model.addAttribute("calls", page.data());
        model.addAttribute("nextCursor", page.nextCursor());
        return "studio/calls :: rows";
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
