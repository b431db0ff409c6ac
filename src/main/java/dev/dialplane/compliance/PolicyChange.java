package dev.dialplane.compliance;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One change of a policy, with who made it (the API key's shown prefix; null when Dialplane did). */
public record PolicyChange(
        UUID id, Instant createdAt, @Nullable String apiKeyPrefix, CompliancePolicy before, CompliancePolicy after) {}
