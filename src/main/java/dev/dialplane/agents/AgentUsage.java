package dev.dialplane.agents;

import java.util.List;
import java.util.UUID;

/**
 * What still uses an agent. Implemented by the numbers module, which depends on agents (not the
 * other way round), so an agent in use can be refused deletion with a useful message.
 */
public interface AgentUsage {

    /** E.164 numbers that have the agent as outbound or inbound agent. */
    List<String> numbersUsingAgent(UUID agentId);
}
