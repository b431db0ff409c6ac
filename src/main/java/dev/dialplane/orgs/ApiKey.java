package dev.dialplane.orgs;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An API key as it may be shown: only its prefix, never the key itself. */
public record ApiKey(
        UUID id,
        UUID organizationId,
        String name,
        String prefix,
        Instant createdAt,
        @Nullable Instant lastUsedAt) {}
