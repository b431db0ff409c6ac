package dev.dialplane.agents;

import java.util.Map;

/**
 * {@code POST /agents}'s body, read and validated exactly as that route does, for another door into
 * creating or replacing an agent (Studio's form): one set of rules, one set of messages.
 * Implemented by the route itself (agents.web).
 */
public interface AgentRequests {

    /**
     * The agent the body describes, ready for {@link AgentService#create} or {@link AgentService#update}.
     *
     * @param body the JSON body's fields by their snake_case names, as the route takes them
     * @throws dev.dialplane.common.ApiException the route's 422 listing every bad field
     */
    AgentDraft read(Map<String, Object> body);
}
