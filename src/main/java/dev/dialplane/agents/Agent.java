package dev.dialplane.agents;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A voice (or text) agent of an organization. {@code livekitAgentName} is the name its LiveKit
 * agent worker registered, used for explicit dispatch into the call's room.
 */
public record Agent(
        UUID id,
        UUID organizationId,
        String name,
        AgentArchitecture architecture,
        @Nullable String livekitAgentName,
        boolean record,
        Instant createdAt,
        Instant updatedAt) {}
