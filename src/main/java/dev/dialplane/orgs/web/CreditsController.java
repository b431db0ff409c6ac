package dev.dialplane.orgs.web;

import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.LedgerEntry;
import dev.dialplane.orgs.OrganizationService;
import dev.dialplane.orgs.Tenant;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The organization's balance, what live calls hold, and the ledger that explains the balance. */
@RestController
class CreditsController {

    private final OrganizationService organizations;

    CreditsController(OrganizationService organizations) {
        this.organizations = organizations;
    }

    @GetMapping("/credits")
    CreditsResponse credits(
            Tenant tenant,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        var organization = organizations.get(tenant.organizationId());
        return new CreditsResponse(
                organization.credits(),
                organization.reservedCredits(),
                organization.availableCredits(),
                organization.ratePerMinute(),
                organization.lowCreditThreshold(),
                organizations.ledger(tenant.organizationId(), PageRequest.of(limit, cursor)));
    }

    /** {@code ledger} is newest first and pages with the same cursor as every list. */
    record CreditsResponse(
            BigDecimal balance,
            BigDecimal reserved,
            BigDecimal available,
            BigDecimal ratePerMinute,
            BigDecimal lowCreditThreshold,
            Page<LedgerEntry> ledger) {}
}
