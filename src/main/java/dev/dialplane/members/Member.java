package dev.dialplane.members;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A person who signs in to an organization's Studio. */
public record Member(
        UUID id,
        UUID organizationId,
        String email,
        MemberRole role,
        Instant createdAt,
        @Nullable Instant lastSignInAt) {}
