package dev.dialplane.studio.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.AdminRequests;
import dev.dialplane.orgs.OrganizationService;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator's pages (role OPERATOR, signed in with the admin token): organizations (listed,
 * created with their owner), each one's credits (granted) and rate, through the services and rules
 * of the admin API ({@code /admin/organizations}).
 */
@Controller
class OperatorPages {

    private final OrganizationService organizations;
    private final AdminRequests requests;

    OperatorPages(OrganizationService organizations, AdminRequests requests) {
        this.organizations = organizations;
        this.requests = requests;
    }

    @GetMapping(StudioSecurity.OPERATOR_SIGN_IN)
    String signIn(
            @RequestParam(required = false) @Nullable String error,
            @RequestParam(name = "signed-out", required = false) @Nullable String signedOut,
            @Nullable HttpSession session,
            Model model,
            HttpServletResponse response) {
        SignInController.showAttempt(
                error, signedOut, session, model, response, "signInError", OperatorAuthentication.WRONG);
        return "studio/operator-sign-in";
    }

    @GetMapping("/studio/operator")
    String home() {
        return "redirect:" + StudioSecurity.OPERATOR_HOME;
    }

    @GetMapping(StudioSecurity.OPERATOR_HOME)
    String list(@RequestParam(required = false) @Nullable String cursor, Model model) {
        var page = organizations.list(PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        model.addAttribute("organizations", page.data());
        model.addAttribute("nextCursor", page.nextCursor());
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", List.of());
        }
        return "studio/operator-organizations";
    }

    /** {@code POST /admin/organizations} by its own rules, with the owner who signs in to Studio. */
    @PostMapping(StudioSecurity.OPERATOR_HOME)
    String create(
            @RequestParam(required = false) @Nullable String name,
            @RequestParam(required = false) @Nullable String credits,
            @RequestParam(required = false) @Nullable String ownerEmail,
            @RequestParam(required = false) @Nullable String ownerPassword,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        var body = new LinkedHashMap<String, Object>();
        body.put("name", StudioForms.blankToNull(name));
        body.put("credits", StudioForms.decimal(credits));
        body.put("owner_email", StudioForms.blankToNull(ownerEmail));
        body.put("owner_password", ownerPassword == null || ownerPassword.isEmpty() ? null : ownerPassword);
        body.values().removeIf(java.util.Objects::isNull);
        try {
            var request = requests.newOrganization(body);
            var created = organizations.create(
                    request.name(),
                    request.credits(),
                    request.ratePerMinute(),
                    request.lowCreditThreshold(),
                    request.maxConcurrentCalls(),
                    request.owner());
            var organization = created.organization();
            redirect.addFlashAttribute(
                    "notice",
                    "The organization " + organization.name() + " was created"
                            + (request.owner() == null
                                    ? "."
                                    : "; " + request.owner().email() + " signs in to Studio as its owner."));
            return "redirect:" + StudioSecurity.OPERATOR_HOME + "/" + organization.id();
        } catch (ApiException e) {
            response.setStatus(e.status().value());
            model.addAttribute("errors", StudioForms.messages(e));
            model.addAttribute("name", name == null ? "" : name);
            model.addAttribute("credits", credits == null ? "" : credits);
            model.addAttribute("ownerEmail", ownerEmail == null ? "" : ownerEmail);
            return list(null, model);
        }
    }

    /** One organization: its balance, rate and credit ledger. */
    @GetMapping(StudioSecurity.OPERATOR_HOME + "/{id}")
    String organization(@PathVariable UUID id, @RequestParam(required = false) @Nullable String cursor, Model model) {
        var organization = organizations.get(id);
        model.addAttribute("organization", organization);
        var ledger = organizations.ledger(id, PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        model.addAttribute("ledger", ledger.data());
        model.addAttribute("nextCursor", ledger.nextCursor());
        for (var list : List.of("creditErrors", "rateErrors")) {
            if (!model.containsAttribute(list)) {
                model.addAttribute(list, List.of());
            }
        }
        return "studio/operator-organization";
    }

    /** {@code POST /admin/organizations/{id}/credits}: a grant (the API takes positive amounts only). */
    @PostMapping(StudioSecurity.OPERATOR_HOME + "/{id}/credits")
    String grant(
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String amount,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        organizations.get(id);
        var body = new LinkedHashMap<String, Object>();
        body.put("amount", StudioForms.decimal(amount));
        body.values().removeIf(java.util.Objects::isNull);
        try {
            var updated = organizations.addCredits(id, requests.creditAmount(body));
            redirect.addFlashAttribute(
                    "notice",
                    "Credits granted: the balance is now " + updated.credits().toPlainString() + ".");
            return "redirect:" + StudioSecurity.OPERATOR_HOME + "/" + id;
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            response.setStatus(e.status().value());
            model.addAttribute("creditErrors", StudioForms.messages(e));
            return organization(id, null, model);
        }
    }

    /** The organization's rate per answered minute ({@code PATCH /admin/organizations/{id}}'s rule). */
    @PostMapping(StudioSecurity.OPERATOR_HOME + "/{id}/rate")
    String rate(
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String ratePerMinute,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        var patch = new LinkedHashMap<String, Object>();
        // blank: the merge patch's null, which the route refuses for a required field
        patch.put("rate_per_minute", StudioForms.decimal(ratePerMinute));
        try {
            var settings = requests.settings(id, patch);
            var updated = organizations.updateSettings(
                    id,
                    settings.name(),
                    settings.ratePerMinute(),
                    settings.lowCreditThreshold(),
                    settings.maxConcurrentCalls());
            redirect.addFlashAttribute(
                    "notice",
                    "The rate is now " + updated.ratePerMinute().toPlainString()
                            + " per answered minute, for calls placed from now on.");
            return "redirect:" + StudioSecurity.OPERATOR_HOME + "/" + id;
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            response.setStatus(e.status().value());
            model.addAttribute("rateErrors", StudioForms.messages(e));
            return organization(id, null, model);
        }
    }
}
