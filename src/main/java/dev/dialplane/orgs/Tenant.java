package dev.dialplane.orgs;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The organization an API request acts for, established from its API key. Every query for
 * organization-owned data is scoped by it; another organization's rows are simply "not found".
 * {@code apiKeyPrefix} is the shown prefix of the key that authenticated the request (recorded
 * where a change is audited), null when the tenant was not established by a key.
 */
public record Tenant(UUID organizationId, @Nullable String apiKeyPrefix) {

    public Tenant(UUID organizationId) {
        this(organizationId, null);
    }
}
