package dev.dialplane.agents;

import dev.dialplane.common.ApiException;
import dev.dialplane.common.Cursor;
import dev.dialplane.common.Page;
import dev.dialplane.common.PageRequest;
import dev.dialplane.orgs.Tenant;
import java.time.Clock;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class AgentService {

    private final AgentRepository agents;
    private final AgentUsage usage;
    private final Clock clock;

    AgentService(AgentRepository agents, AgentUsage usage, Clock clock) {
        this.agents = agents;
        this.usage = usage;
        this.clock = clock;
    }

    @Transactional
    public Agent create(Tenant tenant, AgentDraft draft) {
        return create(tenant, UUID.randomUUID(), draft);
    }

    /** Creates an agent with a chosen id (the sandbox's documented demo agents). */
    @Transactional
    public Agent create(Tenant tenant, UUID id, AgentDraft draft) {
        checkDispatchable(draft);
        var now = clock.instant();
        var agent = new Agent(
                id,
                tenant.organizationId(),
                draft.name(),
                draft.architecture(),
                draft.livekitAgentName(),
                draft.record(),
                now,
                now);
        agents.insert(agent);
        return agent;
    }

    public Agent get(Tenant tenant, UUID id) {
        return agents.find(tenant.organizationId(), id).orElseThrow(() -> notFound(id));
    }

    public boolean exists(Tenant tenant, UUID id) {
        return agents.find(tenant.organizationId(), id).isPresent();
    }

    public Page<Agent> list(Tenant tenant, PageRequest page) {
        return Page.of(
                agents.list(tenant.organizationId(), page), page.limit(), a -> new Cursor(a.createdAt(), a.id()));
    }

    @Transactional
    public Agent update(Tenant tenant, UUID id, AgentDraft draft) {
        var current = get(tenant, id);
        checkDispatchable(draft);
        var updated = new Agent(
                id,
                current.organizationId(),
                draft.name(),
                draft.architecture(),
                draft.livekitAgentName(),
                draft.record(),
                current.createdAt(),
                clock.instant());
        agents.update(updated);
        return updated;
    }

    @Transactional
    public void delete(Tenant tenant, UUID id) {
        get(tenant, id);
        var numbers = usage.numbersUsingAgent(id);
        if (!numbers.isEmpty()) {
            throw inUse(numbers.toString());
        }
        try {
            agents.delete(tenant.organizationId(), id);
        } catch (DataIntegrityViolationException e) {
            // a number was assigned the agent between the check and the delete
            throw inUse("a phone number");
        }
    }

    private static void checkDispatchable(AgentDraft draft) {
        var name = draft.livekitAgentName();
        if (draft.architecture().isVoice() && (name == null || name.isBlank())) {
            throw ApiException.invalid(
                    "livekit_agent_name",
                    "is required for " + draft.architecture()
                            + " agents: it is the agent_name your LiveKit agent worker registers with, used to dispatch it into calls");
        }
    }

    private static ApiException inUse(String numbers) {
        return ApiException.conflict(
                "AGENT_IN_USE",
                "The agent is still assigned to " + numbers
                        + "; assign another agent to those numbers or delete them first.");
    }

    static ApiException notFound(UUID id) {
        return ApiException.notFound("AGENT_NOT_FOUND", "No agent " + id + " in your organization.");
    }
}
