package dev.dialplane.studio.web;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.PageRequest;
import dev.dialplane.members.MemberRole;
import dev.dialplane.members.MemberService;
import dev.dialplane.orgs.ApiKeyService;
import dev.dialplane.studio.StudioUser;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

/** Settings: API keys (created, shown once, revoked) and members (invited and removed by owners). */
@Controller
class SettingsPages {

    private static final int MAX_KEY_NAME = 200;

    private final ApiKeyService apiKeys;
    private final MemberService members;

    SettingsPages(ApiKeyService apiKeys, MemberService members) {
        this.apiKeys = apiKeys;
        this.members = members;
    }

    @GetMapping("/studio/settings/api-keys")
    String apiKeys(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var page = apiKeys.list(user.tenant(), PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        model.addAttribute("keys", page.data());
        model.addAttribute("nextCursor", page.nextCursor());
        return "studio/api-keys";
    }

    @PostMapping("/studio/settings/api-keys")
    String createApiKey(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String name,
            Model model,
            HttpServletResponse response) {
        var trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()
                || trimmed.length() > MAX_KEY_NAME
                || trimmed.chars().anyMatch(Character::isISOControl)) {
            response.setStatus(422);
            model.addAttribute("error", "name: is required, one line of at most " + MAX_KEY_NAME + " characters");
            return apiKeys(user, null, model);
        }
        var issued = apiKeys.issue(user.organizationId(), trimmed);
        // shown on this response only: Dialplane keeps a hash, and the page is not cached
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("issued", issued.apiKey());
        model.addAttribute("secret", issued.secret());
        return "studio/api-key-created";
    }

    @PostMapping("/studio/settings/api-keys/{id}/revoke")
    String revokeApiKey(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        try {
            apiKeys.revoke(user.tenant(), id);
            redirect.addFlashAttribute("notice", "The key was revoked.");
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/studio/settings/api-keys";
    }

    @GetMapping("/studio/settings/members")
    String members(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var page = members.list(user.tenant(), PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        model.addAttribute("members", page.data());
        model.addAttribute("nextCursor", page.nextCursor());
        model.addAttribute(
                "roles",
                List.of(MemberRole.values()).stream().map(MemberRole::value).toList());
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", List.of());
        }
        return "studio/members";
    }

    @PostMapping("/studio/settings/members")
    String invite(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String email,
            @RequestParam(required = false) @Nullable String password,
            @RequestParam(required = false) @Nullable String role,
            Model model,
            HttpServletResponse response,
            RedirectAttributes redirect) {
        var errors = new ArrayList<String>();
        for (var violation : java.util.Arrays.asList(
                MemberService.emailViolation("email", email),
                MemberService.passwordViolation("password", password),
                MemberService.roleViolation("role", role))) {
            if (violation != null) {
                errors.add(violation.field() + ": " + violation.message());
            }
        }
        if (errors.isEmpty()) {
            try {
                var added = members.add(
                        user.organizationId(),
                        Objects.requireNonNull(email).strip(),
                        Objects.requireNonNull(password),
                        MemberRole.parse(Objects.requireNonNull(role)).orElseThrow());
                redirect.addFlashAttribute(
                        "notice",
                        added.email() + " was added as " + added.role().value() + ".");
                return "redirect:/studio/settings/members";
            } catch (ApiException e) {
                errors.add(e.getMessage());
                response.setStatus(e.status().value());
            }
        } else {
            response.setStatus(422);
        }
        model.addAttribute("errors", errors);
        model.addAttribute("email", email == null ? "" : email);
        return members(user, null, model);
    }

    @PostMapping("/studio/settings/members/{id}/remove")
    String remove(@AuthenticationPrincipal StudioUser user, @PathVariable UUID id, RedirectAttributes redirect) {
        try {
            members.remove(user.tenant(), id);
            redirect.addFlashAttribute("notice", "The member was removed.");
        } catch (ApiException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            // LAST_OWNER, in the API's words
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/studio/settings/members";
    }
}
