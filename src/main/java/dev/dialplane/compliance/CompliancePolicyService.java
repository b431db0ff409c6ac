package dev.dialplane.compliance;

import dev.dialplane.common.Cursor;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.Tenant;
import java.time.Clock;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads and changes organizations' compliance policies; every change is kept in their history. */
@Service
public class CompliancePolicyService {

    private final CompliancePolicyRepository policies;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CompliancePolicyService(CompliancePolicyRepository policies, ApplicationEventPublisher events, Clock clock) {
        this.policies = policies;
        this.events = events;
        this.clock = clock;
    }

    /** The organization's policy: {@link CompliancePolicy#DEFAULT} until it changes it. */
    public CompliancePolicy policy(UUID organizationId) {
        return policies.find(organizationId).orElse(CompliancePolicy.DEFAULT);
    }

    public CompliancePolicy get(Tenant tenant) {
        return policy(tenant.organizationId());
    }

    /** Replaces the policy (already validated) and records the change with the key that made it. */
    @Transactional
    public CompliancePolicy update(Tenant tenant, CompliancePolicy policy) {
        return change(tenant.organizationId(), policy, tenant.apiKeyPrefix());
    }

    /**
     * Sets a policy on Dialplane's own behalf (the sandbox's demo organization); recorded in the
     * history without an API key. Nothing happens when the organization already has a policy row.
     */
    @Transactional
    public void initialize(UUID organizationId, CompliancePolicy policy) {
        if (policies.findForUpdate(organizationId).isEmpty()) {
            change(organizationId, policy, null);
        }
    }

    private CompliancePolicy change(UUID organizationId, CompliancePolicy policy, @Nullable String apiKeyPrefix) {
        var before = policies.findForUpdate(organizationId).orElse(CompliancePolicy.DEFAULT);
        var now = clock.instant();
        policies.save(organizationId, policy, now);
        policies.insertChange(organizationId, new PolicyChange(UUID.randomUUID(), now, apiKeyPrefix, before, policy));
        if (!java.util.Objects.equals(before.callingWindow(), policy.callingWindow())) {
            events.publishEvent(new CallingWindowChanged(organizationId));
        }
        return policy;
    }

    public Page<PolicyChange> history(Tenant tenant, PageRequest page) {
        return Page.of(
                policies.changes(tenant.organizationId(), page),
                page.limit(),
                change -> new Cursor(change.createdAt(), change.id()));
    }
}
