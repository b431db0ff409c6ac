package dev.dialplane.orgs;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Organizations and their credits. Every balance change writes a ledger entry in the same
 * transaction, so the ledger always sums to the balance. Live calls hold reservations; the rule
 * is in {@link #reserve}.
 */
@Service
public class OrganizationService {

    private final OrganizationRepository organizations;
    private final ApiKeyService apiKeys;
    private final BillingProperties billing;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final OrganizationOwners owners;

    OrganizationService(
            OrganizationRepository organizations,
            ApiKeyService apiKeys,
            BillingProperties billing,
            ApplicationEventPublisher events,
            Clock clock,
            OrganizationOwners owners) {
        this.organizations = organizations;
        this.apiKeys = apiKeys;
        this.billing = billing;
        this.events = events;
        this.clock = clock;
        this.owners = owners;
    }

    /** Creates an organization with its first API key; null rate or threshold takes the configured default. */
    @Transactional
    public CreatedOrganization create(
            String name,
            BigDecimal credits,
            @Nullable BigDecimal ratePerMinute,
            @Nullable BigDecimal lowCreditThreshold,
            @Nullable Integer maxConcurrentCalls) {
        return create(name, credits, ratePerMinute, lowCreditThreshold, maxConcurrentCalls, null);
    }

    /**
     * Creates an organization with its first API key and, when given, its owner (a Studio member):
     * all or nothing, so an owner's email already taken leaves no organization behind.
     */
    @Transactional
    public CreatedOrganization create(
            String name,
            BigDecimal credits,
            @Nullable BigDecimal ratePerMinute,
            @Nullable BigDecimal lowCreditThreshold,
            @Nullable Integer maxConcurrentCalls,
            @Nullable Owner owner) {
        var organization =
                insert(UUID.randomUUID(), name, credits, ratePerMinute, lowCreditThreshold, maxConcurrentCalls);
        var key = apiKeys.issue(organization.id(), "default");
        if (owner != null) {
            owners.addOwner(organization.id(), owner.email(), owner.password());
        }
        return new CreatedOrganization(organization, key);
    }

    /** The first owner's sign-in, already validated. */
    public record Owner(String email, String password) {
        @Override
        public String toString() {
            return "Owner[email=" + email + ", password=(hidden)]";
        }
    }

    /** Creates an organization with a fixed id unless it exists (the sandbox's demo organization). */
    @Transactional
    public Organization ensure(UUID id, String name, BigDecimal credits) {
        return organizations.find(id).orElseGet(() -> insert(id, name, credits, null, null, null));
    }

    public boolean exists(UUID id) {
        return organizations.find(id).isPresent();
    }

    public Organization get(UUID id) {
        return organizations.find(id).orElseThrow(() -> notFound(id));
    }

    /** Every organization, newest first: the operator's list in Studio. */
    public Page<Organization> list(PageRequest page) {
        return Page.of(organizations.page(page), page.limit(), o -> new Cursor(o.createdAt(), o.id()));
    }

    /** Replaces the operator-set fields; a new rate applies to calls placed from now on. */
    @Transactional
    public Organization updateSettings(
            UUID id,
            String name,
            BigDecimal ratePerMinute,
            BigDecimal lowCreditThreshold,
            @Nullable Integer maxConcurrentCalls) {
        // locked for the update, so a concurrent change of the same organization waits its turn
        if (organizations.findForUpdate(id).isEmpty()) {
            throw notFound(id);
        }
        organizations.updateSettings(id, name, ratePerMinute, lowCreditThreshold, maxConcurrentCalls, clock.instant());
        events.publishEvent(new OrganizationLimitsChanged(id));
        return get(id);
    }

    @Transactional
    public Organization addCredits(UUID id, BigDecimal amount) {
        var organization = organizations.findForUpdate(id).orElseThrow(() -> notFound(id));
        var balance = organization.credits().add(amount);
        var now = clock.instant();
        // a top-up back above the threshold re-arms credit.low
        var notified = organization.lowCreditNotified() && balance.compareTo(organization.lowCreditThreshold()) < 0;
        organizations.updateBalance(id, balance, organization.reservedCredits(), notified, now);
        organizations.insertLedgerEntry(id, amount, balance, "credit_purchase", null, now);
        return get(id);
    }

    /**
     * Reads the organization and locks its row until the transaction ends: placements that must see
     * each other's calls (attempt caps per number) take turns, on every node.
     */
    public Organization lockForPlacement(UUID id) {
        return organizations.findForUpdate(id).orElseThrow(() -> notFound(id));
    }

    /**
     * Holds {@code amount} credits for a call about to be placed. The rule: a call is placed only if
     * the balance minus what live calls already hold covers its own worst-case cost. Calls are never
     * charged more than they hold, so the balance never goes below zero.
     *
     * @throws ApiException 402 when the available credits do not cover the reservation
     */
    public void reserve(UUID organizationId, BigDecimal amount, String why) {
        if (amount.signum() == 0 || organizations.reserve(organizationId, amount)) {
            return;
        }
        throw insufficient(get(organizationId), amount, why);
    }

    /**
     * Whether {@link #reserve} would hold {@code amount} now, without holding it (a preflight).
     *
     * @throws ApiException the 402 {@link #reserve} would throw
     */
    public void checkCredits(UUID organizationId, BigDecimal amount, String why) {
        var organization = get(organizationId);
        if (amount.signum() != 0 && organization.availableCredits().compareTo(amount) < 0) {
            throw insufficient(organization, amount, why);
        }
    }

    private static ApiException insufficient(Organization organization, BigDecimal amount, String why) {
        return new ApiException(
                HttpStatus.PAYMENT_REQUIRED,
                "INSUFFICIENT_CREDITS",
                "Not enough credits: this call holds "
                        + amount.stripTrailingZeros().toPlainString() + " credits (" + why
                        + ") while it is live, and "
                        + organization.availableCredits().stripTrailingZeros().toPlainString()
                        + " are available (balance "
                        + organization.credits().stripTrailingZeros().toPlainString() + ", held by live calls "
                        + organization.reservedCredits().stripTrailingZeros().toPlainString()
                        + "). Add credits, or lower max_call_duration_seconds.");
    }

    /**
     * Ends a call's reservation and charges what it cost (at most what it held), in the caller's
     * transaction. Publishes {@link CreditLow} when the balance falls below the threshold, and
     * {@link CreditDepleted} when it falls below one minute's price.
     */
    public void settle(UUID organizationId, UUID callId, BigDecimal reserved, BigDecimal cost) {
        if (reserved.signum() == 0 && cost.signum() == 0) {
            return;
        }
        var organization = organizations.findForUpdate(organizationId).orElseThrow(() -> notFound(organizationId));
        var balance = organization.credits().subtract(cost);
        var held = organization.reservedCredits().subtract(reserved).max(BigDecimal.ZERO);
        var crossed = !organization.lowCreditNotified() && balance.compareTo(organization.lowCreditThreshold()) < 0;
        var now = clock.instant();
        organizations.updateBalance(organizationId, balance, held, organization.lowCreditNotified() || crossed, now);
        if (cost.signum() != 0) {
            organizations.insertLedgerEntry(organizationId, cost.negate(), balance, "call_charge", callId, now);
        }
        if (crossed) {
            events.publishEvent(new CreditLow(organizationId, balance, organization.lowCreditThreshold(), now));
        }
        // from the balance before and after this charge: no flag needed, since only charges lower it
        var minutePrice = organization.ratePerMinute();
        if (cost.signum() > 0
                && !CreditDepleted.depleted(organization.credits(), minutePrice)
                && CreditDepleted.depleted(balance, minutePrice)) {
            events.publishEvent(new CreditDepleted(organizationId, balance, minutePrice, now));
        }
    }

    public Page<LedgerEntry> ledger(UUID organizationId, PageRequest page) {
        return Page.of(
                organizations.ledger(organizationId, page), page.limit(), e -> new Cursor(e.createdAt(), e.id()));
    }

    public BigDecimal ledgerSum(UUID organizationId) {
        return organizations.ledgerSum(organizationId);
    }

    private Organization insert(
            UUID id,
            String name,
            BigDecimal credits,
            @Nullable BigDecimal ratePerMinute,
            @Nullable BigDecimal lowCreditThreshold,
            @Nullable Integer maxConcurrentCalls) {
        var now = clock.instant();
        var threshold = lowCreditThreshold == null ? billing.defaultLowCreditThreshold() : lowCreditThreshold;
        var organization = new Organization(
                id,
                name,
                credits,
                BigDecimal.ZERO,
                ratePerMinute == null ? billing.defaultRatePerMinute() : ratePerMinute,
                threshold,
                credits.compareTo(threshold) < 0,
                maxConcurrentCalls,
                now,
                now);
        organizations.insert(organization);
        if (credits.signum() != 0) {
            organizations.insertLedgerEntry(id, credits, credits, "initial_credits", null, now);
        }
        return organization;
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("ORGANIZATION_NOT_FOUND", "No organization " + id + ".");
    }

    /** A new organization and its first key, whose secret is shown only this once. */
    public record CreatedOrganization(Organization organization, IssuedApiKey apiKey) {}
}
