package dev.dialplane.studio.web;

import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.OrganizationService;
import dev.dialplane.studio.StudioUser;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The organization's balance and the ledger that explains it, as {@code GET /credits} gives them. */
@Controller
class CreditsPage {

    private final OrganizationService organizations;

    CreditsPage(OrganizationService organizations) {
        this.organizations = organizations;
    }

    @GetMapping("/studio/credits")
    String credits(
            @AuthenticationPrincipal StudioUser user,
            @RequestParam(required = false) @Nullable String cursor,
            Model model) {
        var organization = organizations.get(user.organizationId());
        var ledger = organizations.ledger(user.organizationId(), PageRequest.of(PageRequest.DEFAULT_LIMIT, cursor));
        model.addAttribute("organization", organization);
        model.addAttribute("ledger", ledger.data());
        model.addAttribute("nextCursor", ledger.nextCursor());
        model.addAttribute("paged", cursor != null);
        return "studio/credits";
    }
}
