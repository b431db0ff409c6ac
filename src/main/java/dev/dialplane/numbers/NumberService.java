package dev.dialplane.numbers;

import dev.dialplane.agents.AgentService;
import dev.dialplane.agents.AgentUsage;
import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.Tenant;
import dev.dialplane.trunks.TrunkService;
import dev.dialplane.trunks.TrunkUsage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class NumberService implements AgentUsage, TrunkUsage {

    private final NumberRepository numbers;
    private final AgentService agents;
    private final TrunkService trunks;
    private final Clock clock;

    NumberService(
            NumberRepository numbers,
            @org.springframework.context.annotation.Lazy AgentService agents,
            @org.springframework.context.annotation.Lazy TrunkService trunks,
            Clock clock) {
        this.numbers = numbers;
        this.agents = agents;
        this.trunks = trunks;
        this.clock = clock;
    }

    @Transactional
    public PhoneNumber create(Tenant tenant, NumberDraft draft) {
        return create(tenant, UUID.randomUUID(), draft);
    }

    /** Creates a number with a chosen id (the sandbox's documented demo number). */
    @Transactional
    public PhoneNumber create(Tenant tenant, UUID id, NumberDraft draft) {
        checkReferences(tenant, draft);
        var now = clock.instant();
        var number = numberOf(id, tenant.organizationId(), draft, now, now);
        if (numbers.findByNumber(tenant.organizationId(), draft.number()).isPresent()) {
            throw duplicate(draft.number());
        }
        try {
            numbers.insert(number);
        } catch (DuplicateKeyException e) {
            throw duplicate(draft.number(), e);
        }
        return number;
    }

    public PhoneNumber get(Tenant tenant, UUID id) {
        return numbers.find(tenant.organizationId(), id)
                .orElseThrow(() -> ApiException.notFound(
                        "PHONE_NUMBER_NOT_FOUND", "No phone number " + id + " in your organization."));
    }

    public Optional<PhoneNumber> findByNumber(Tenant tenant, String e164) {
        return numbers.findByNumber(tenant.organizationId(), e164);
    }

    public Optional<PhoneNumber> findForOutboundAgent(Tenant tenant, UUID agentId) {
        return numbers.findFirstForOutboundAgent(tenant.organizationId(), agentId);
    }

    public Page<PhoneNumber> list(Tenant tenant, PageRequest page) {
        return Page.of(
                numbers.list(tenant.organizationId(), page), page.limit(), n -> new Cursor(n.createdAt(), n.id()));
    }

    @Transactional
    public PhoneNumber update(Tenant tenant, UUID id, NumberDraft draft) {
        var current = get(tenant, id);
        checkReferences(tenant, draft);
        var updated = numberOf(id, tenant.organizationId(), draft, current.createdAt(), clock.instant());
        var same = numbers.findByNumber(tenant.organizationId(), draft.number());
        if (same.isPresent() && !same.get().id().equals(id)) {
            throw duplicate(draft.number());
        }
        try {
            numbers.update(updated);
        } catch (DuplicateKeyException e) {
            throw duplicate(draft.number(), e);
        }
        return updated;
    }

    @Transactional
    public void delete(Tenant tenant, UUID id) {
        get(tenant, id);
        numbers.delete(tenant.organizationId(), id);
    }

    @Override
    public List<String> numbersUsingAgent(UUID agentId) {
        return numbers.numbersUsingAgent(agentId);
    }

    @Override
    public List<String> numbersUsingTrunk(UUID trunkId) {
        return numbers.numbersUsingTrunk(trunkId);
    }

    /** Referenced trunk and agents must be the caller's own; anything else is "not found". */
    private void checkReferences(Tenant tenant, NumberDraft draft) {
        trunks.get(tenant, draft.sipTrunkId());
        checkAgent(tenant, draft.outboundAgentId(), "outbound_agent_id");
        checkAgent(tenant, draft.inboundAgentId(), "inbound_agent_id");
    }

    private void checkAgent(Tenant tenant, @Nullable UUID agentId, String field) {
        if (agentId != null && !agents.exists(tenant, agentId)) {
            throw ApiException.notFound("AGENT_NOT_FOUND", field + ": no agent " + agentId + " in your organization.");
        }
    }

    private static PhoneNumber numberOf(
            UUID id, UUID organizationId, NumberDraft draft, Instant createdAt, Instant updatedAt) {
        return new PhoneNumber(
                id,
                organizationId,
                draft.number(),
                draft.sipTrunkId(),
                draft.outboundAgentId(),
                draft.inboundAgentId(),
                draft.record(),
                createdAt,
                updatedAt);
    }

    private static ApiException duplicate(String number) {
        return ApiException.conflict("PHONE_NUMBER_EXISTS", number + " is already registered in your organization.");
    }

    /**
     * The unique index decides a race; which one fired says whose number it is. Another
     * organization's is refused without a word about that organization.
     */
    private static ApiException duplicate(String number, DuplicateKeyException e) {
        var message = String.valueOf(e.getMostSpecificCause().getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("phone_numbers_org_number_unique")) {
            return duplicate(number);
        }
        return ApiException.conflict(
                "NUMBER_ALREADY_REGISTERED",
                number
                        + " is already registered in this Dialplane deployment; a number belongs to one organization."
                        + " Register a number your carrier assigned to you.");
    }
}
