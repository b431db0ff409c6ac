package dev.dialplane.studio.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.PageRequest;
import dev.dialplane.compliance.CallingWindow;
import dev.dialplane.compliance.CompliancePolicy;
import dev.dialplane.compliance.CompliancePolicyService;
import dev.dialplane.compliance.ComplianceRequests;
import dev.dialplane.compliance.DncImport;
import dev.dialplane.compliance.DncSource;
import dev.dialplane.compliance.DoNotCallList;
import dev.dialplane.studio.StudioUser;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Compliance: the calling window and attempt caps (the rules and messages of {@code PUT
 * /compliance-policy}) and the do-not-call list (search, add, import a CSV, remove; the services
 * of {@code /dnc}).
 */
@Controller
class CompliancePages {

    static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private final CompliancePolicyService policies;
    private final DoNotCallList dnc;
    private final ComplianceRequests requests;

    CompliancePages(CompliancePolicyService policies, DoNotCallList dnc, ComplianceRequests requests) {
        this.policies = policies;
        this.dnc = dnc;
        this.requests = requests;
    }

    /** The policy form's fields; days as their API names. */
    record PolicyForm(
            @Nullable Boolean window,
            @Nullable String start,
            @Nullable String end,
            @Nullable List<String> days,
            @Nullable String per24h,
            @Nullable String per7d,
            @Nullable Boolean dncEnforced) {

        static PolicyForm of(CompliancePolicy policy) {
            var window = policy.callingWindow();
            var shown = window == null ? CallingWindow.DEFAULT : window;
            var caps = policy.maxAttemptsPerNumber();
            return new PolicyForm(
                    window != null,
                    shown.start().toString(),
                    shown.end().toString(),
                    shown.dayNames(),
                    caps == null || caps.per24h() == null ? "" : String.valueOf(caps.per24h()),
                    caps == null || caps.per7d() == null ? "" : String.valueOf(caps.per7d()),
                    policy.dncEnforced());
        }

        /** As {@code PUT /compliance-policy}'s body: every field, so the form replaces the policy. */
        Map<String, Object> body() {
            var body = new LinkedHashMap<String, Object>();
            if (windowOn()) {
                var calling = new LinkedHashMap<String, Object>();
                calling.put("start", StudioForms.blankToNull(start));
                calling.put("end", StudioForms.blankToNull(end));
                calling.put("days", days == null ? List.of() : days);
                body.put("calling_window", calling);
            } else {
                body.put("calling_window", null);
            }
            var first = StudioForms.number(per24h);
            var second = StudioForms.number(per7d);
            if (first == null && second == null) {
                body.put("max_attempts_per_number", null);
            } else {
                var caps = new LinkedHashMap<String, Object>();
                caps.put("per_24h", first);
                caps.put("per_7d", second);
                body.put("max_attempts_per_number", caps);
            }
            body.put("dnc_enforced", dncOn());
            return body;
        }

        public boolean windowOn() {
            return Boolean.TRUE.equals(window);
        }

        public boolean dncOn() {
            return Boolean.TRUE.equals(dncEnforced);
        }

        public boolean hasDay(String day) {
            return days != null && days.contains(day);
        }
    }

    @GetMapping("/studio/compliance")
    String page(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable String cursor,
            Model model,
            HttpServletResponse response) {
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", PolicyForm.of(policies.get(user.tenant())));
        }
        model.addAttribute("days", DAYS);
        var search = StudioForms.blankToNull(q);
        model.addAttribute("q", search == null ? "" : search);
        var page = PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor);
        try {
            var entries = search == null ? dnc.list(user.tenant(), page) : dnc.search(user.tenant(), search, page);
            model.addAttribute("entries", entries.data());
            model.addAttribute("nextCursor", entries.nextCursor());
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            model.addAttribute("searchError", e.getMessage());
            model.addAttribute("entries", List.of());
            model.addAttribute("nextCursor", null);
        }
        for (var list : List.of("policyErrors", "dncErrors")) {
            if (!model.containsAttribute(list)) {
                model.addAttribute(list, List.of());
            }
        }
        return "studio/compliance";
    }

    @PostMapping("/studio/compliance/policy")
    String updatePolicy(
            @AuthenticationPrincipal StudioUser user,
            @ModelAttribute PolicyForm form,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        try {
            var policy = requests.policy(policies.get(user.tenant()), form.body());
            policies.update(user.tenant(), policy);
            redirect.addFlashAttribute("notice", "The compliance policy was saved.");
            return "redirect:/studio/compliance";
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            model.addAttribute("policyErrors", StudioForms.messages(e));
            model.addAttribute("form", form);
            return page(user, null, null, model, response);
        }
    }

    @PostMapping("/studio/compliance/dnc")
    String add(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String number,
            @RequestParam(required = false) @Nullable String reason,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        try {
            var numbers = new ArrayList<@Nullable String>();
            numbers.add(number == null ? null : number.strip());
            var addition = requests.addition(numbers, reason);
            var added = dnc.add(user.organizationId(), addition.numbers(), addition.reason(), DncSource.API);
            var shown = addition.numbers().getFirst();
            redirect.addFlashAttribute(
                    "notice",
                    added.added() == 1
                            ? shown + " was added to the do-not-call list."
                            : shown + " was already on the do-not-call list.");
            return "redirect:/studio/compliance";
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            model.addAttribute("dncErrors", StudioForms.messages(e));
            model.addAttribute("dncNumber", number == null ? "" : number);
            model.addAttribute("dncReason", reason == null ? "" : reason);
            return page(user, null, null, model, response);
        }
    }

    /** The same import as {@code POST /dnc/import}, from an uploaded file (UTF-8), with its per-row report. */
    @PostMapping("/studio/compliance/dnc/import")
    String importCsv(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable MultipartFile file,
            @RequestParam(required = false) @Nullable String reason,
            Model model,
            HttpServletResponse response)
            throws IOException {
        try {
            var why = requests.importReason(reason);
            if (file == null || file.isEmpty()) {
                throw ApiException.invalid("file", "is required: choose a CSV file with one number per line");
            }
            var decoder = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            DncImport report;
            try (var reader = new InputStreamReader(file.getInputStream(), decoder)) {
                report = dnc.importCsv(user.organizationId(), reader, why);
            }
            model.addAttribute("report", report);
            model.addAttribute(
                    "reportTruncated", report.invalid() > report.errors().size());
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            model.addAttribute("importErrors", StudioForms.messages(e));
        }
        return page(user, null, null, model, response);
    }

    @PostMapping("/studio/compliance/dnc/remove")
    String remove(@AuthenticationPrincipal StudioUser user, @RequestParam String number, RedirectAttributes redirect) {
        dnc.remove(user.tenant(), number.strip());
        redirect.addFlashAttribute("notice", number.strip() + " was removed from the do-not-call list.");
        return "redirect:/studio/compliance";
    }
}
