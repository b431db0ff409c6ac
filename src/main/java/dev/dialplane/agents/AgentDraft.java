package dev.dialplane.agents;

import org.jspecify.annotations.Nullable;

/** The writable fields of an agent, already validated for shape. */
public record AgentDraft(
        String name,
        AgentArchitecture architecture,
        @Nullable String livekitAgentName,
        boolean record) {}
